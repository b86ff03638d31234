"""The demo's CSBM chapter (a year of notifications among the demo forum's parties)."""
