"""Coded values of the patient record; each has the text the clinic reads."""

from django.db import models


class Sex(models.TextChoices):
    """No default anywhere: the desk or the patient chooses, and may decline to say."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_STATED = "not_stated", "Prefer not to say"


class PatientStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PENDING = "pending", "Pending (booked online, not yet confirmed)"
    MERGED = "merged", "Merged into another record"


class IdentifierType(models.TextChoices):
    """Kinds of national or insurance number; those with a published format are checked."""

    AADHAAR = "aadhaar", "Aadhaar number (India)"
    ABHA = "abha", "ABHA number (India, health account)"
    NHS = "nhs", "NHS number (UK)"
    MEDICARE_MBI = "medicare_mbi", "Medicare Beneficiary Identifier (US)"
    INSURANCE = "insurance", "Insurance policy number"
    OTHER = "other", "Other identifier"


class Language(models.TextChoices):
    """Languages a clinic is asked for most (ISO 639-1 codes); 'other' says to ask."""

    ENGLISH = "en", "English"
    HINDI = "hi", "Hindi"
    KANNADA = "kn", "Kannada"
    TAMIL = "ta", "Tamil"
    TELUGU = "te", "Telugu"
    MALAYALAM = "ml", "Malayalam"
    MARATHI = "mr", "Marathi"
    BENGALI = "bn", "Bengali"
    GUJARATI = "gu", "Gujarati"
    URDU = "ur", "Urdu"
    OTHER = "other", "Another language (see desk notes)"


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone call"
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"
    EMAIL = "email", "E-mail"


class DuplicateReason(models.TextChoices):
    BIRTH_DATE_AND_NAME = "birth_date_and_name", "Same date of birth and a similar name"
    PHONE = "phone", "Same phone number"
    EMAIL = "email", "Same e-mail address"
    IDENTIFIER = "identifier", "Same identifier number"


class DuplicatePolicy(models.TextChoices):
    """What registering does when likely duplicates exist."""

    REFUSE = "refuse", "Refuse and show the candidates"
    CONFIRMED_NEW = "confirmed_new", "Register anyway: the user checked the candidates"
    FLAG = "flag", "Register and flag for the desk (online booking: a visitor sees no other patient)"
