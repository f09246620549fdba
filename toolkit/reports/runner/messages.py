"""User-facing (Simplified Chinese) strings of the report runner, kept in one place for review."""

FAILURE_KIND = {
    "cell": "单元格出错",
    "timeout": "运行超时",
    "kernel": "内核启动失败",
    "export": "导出失败",
    "worker": "执行进程出错",
    "data": "缺少数据",
}
CELL_AT = "（已执行笔记本的第 {number} 个单元格：{first}）"

TIMEOUT = "超过每个笔记本的时限 {seconds:.0f} 秒，已停止"
KERNEL_START_FAILED = "内核两次启动均失败：{error}"

OUTPUT_EXISTS = ("输出目录 {path} 中已有本轮的报告：{names}。为避免覆盖，未运行任何笔记本。"
                 "如需重新生成，请加 --force；或用 --out 指定新的输出目录")
UNKNOWN_PARAMETER = "笔记本 {notebook} 的参数单元格中没有参数 {name}"
BAD_PARAMETER_TYPE = "笔记本 {notebook} 的参数 {name} 应为 {expected} 类型，实际为 {actual}"
NO_PARAMETERS_CELL = ("笔记本 {notebook} 没有带 parameters 标签的参数单元格，"
                      "请在第一个代码单元格加上 parameters 标签")
NOTEBOOK_MISSING = "找不到笔记本文件 {notebook}，请检查工具箱是否完整安装"
UNKNOWN_FORMAT = "输出格式 {value} 无效，可选：{choices}"
BAD_SCHEDULER = "无法连接 Dask 调度器 {address}：{error}。请确认地址形如 tcp://主机:端口 且调度器已启动"

PDF_NO_FONT = "警告：未找到中文字体，PDF 中的中文可能无法显示"

PROGRESS = "生成报告"
NOTHING_TO_RUN = "没有可以生成的报告：{names} 均无检查数据。请先导入检查表"
