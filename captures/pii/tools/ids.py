"""Validators for the synthetic identifiers used in the wirecheck PI corpus."""
import datetime

def luhn_ok(s):
    d = [int(c) for c in s][::-1]
    t = 0
    for i, x in enumerate(d):
        if i % 2 == 1:
            x *= 2
            if x > 9: x -= 9
        t += x
    return t % 10 == 0

def luhn_digit(body):
    for c in "0123456789":
        if luhn_ok(body + c): return c

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def rid_check(body17):
    return "10X98765432"[sum(int(a) * b for a, b in zip(body17, W)) % 11]

def rid_ok(s):
    if len(s) != 18 or not s[:17].isdigit(): return False
    try: datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError: return False
    return s[17].upper() == rid_check(s[:17])

MOBILE = ("13", "14", "15", "16", "17", "18", "19")
def mobile_ok(s): return len(s) == 11 and s.isdigit() and s[:2] in MOBILE

def digits(s):
    return "".join(c for c in s if c.isdigit())

def phone_norm(s):
    """A mobile number as written (separators, +86/86/0086 prefix) -> its 11 digits."""
    d = digits(s)
    for p in ("0086", "86"):
        if len(d) == 11 + len(p) and d.startswith(p):
            return d[len(p):]
    return d
