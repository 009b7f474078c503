"""The fidelity layer: small, documented patches that bring moto to AWS's semantics."""


def apply() -> None:
    """Apply every patch. Each patch module documents the AWS behaviour it restores."""
