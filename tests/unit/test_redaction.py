from agent_toolbar.redaction import MASK, keep_secret, redact


def test_kept_secrets_are_masked_longest_first() -> None:
    keep_secret("hunter22")
    keep_secret("token-hunter22-xyz")
    assert redact("password hunter22, token token-hunter22-xyz") == (
        f"password {MASK}, token {MASK}"
    )


def test_nothing_and_tiny_values_are_not_secrets() -> None:
    keep_secret(None)
    keep_secret("")
    keep_secret("ab")
    assert redact("ab is a word") == "ab is a word"
