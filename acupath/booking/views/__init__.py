"""Booking pages: public.py for visitors (no sign-in), desk.py for the clinic's staff."""
