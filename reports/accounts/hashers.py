from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    """For the random one-time passwords an administrator hands out (12 characters of 58 kinds, some 70 bits):
    guessing them is out of reach without key stretching, so a bulk import of 2,000 staff hashes in seconds, not
    minutes. Each is replaced at first login, and Django rehashes it with the default hasher when it is used."""

    algorithm = "pbkdf2_sha256_onetime"
    iterations = 1000
