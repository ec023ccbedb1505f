"""`python -m bench` (or `make bench`): how the rooms pages hold up with a million past
bookings. Prints numbers; asserts nothing about timings."""
