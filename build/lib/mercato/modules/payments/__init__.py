"""Payments: capture/refund of payments, payment collections, payment sessions (Medusa v1)."""
