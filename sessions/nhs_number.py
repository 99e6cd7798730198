"""NHS number checks: ten digits whose last is a modulus 11 check digit."""

from django.core.exceptions import ValidationError


def normalise_nhs_number(value: str) -> str:
    """Strip the spaces and dashes people type ("943 476 5919" → "9434765919")."""
    return "".join(ch for ch in value if ch not in " -")


def is_valid_nhs_number(value: str) -> bool:
    digits = normalise_nhs_number(value)
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def validate_nhs_number(value: str) -> None:
    if not is_valid_nhs_number(value):
        raise ValidationError(
            "Enter a valid 10-digit NHS number, like 943 476 5919", code="invalid_nhs_number"
        )
