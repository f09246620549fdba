"""User-facing (Simplified Chinese) strings of the warm kernels, kept in one place for review."""

COLD_START = "提示：预热内核不可用（{reason}），改为冷启动内核，结果不变，仅速度较慢"
DISABLED = "已设置 JIUZHU_WARM_KERNELS=0"
NO_FORK = "本平台不支持 fork"
