"""One toolbar per profile, a quit that never leaves calls ringing, and waking up
after sleep or a network change."""
