"""Training layer: answer cards, grading, analytics and the training ledger."""
