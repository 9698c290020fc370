"""The toolbar window: the strip, the panel's cards, queues, stats and timeline."""
