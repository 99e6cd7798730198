"""The staff's home pages: the coordinator's (her clinics, and the urgent concerns raised in
sessions) and the sessions home of a facilitator or peer supporter.

A package of its own because the coordinator's home reads from the core sessions app and from
facilitation, which itself imports the core app (docs/code-map.md).
"""
