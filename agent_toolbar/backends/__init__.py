"""Servers the toolbar speaks to. Each backend turns its wire into domain inputs."""
