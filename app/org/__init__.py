"""Organisations, their sites (each with a time zone and shift pattern), the people supported at
each site and staff memberships. Admins manage sites; managers manage their own site's pattern,
people supported and staff. Everyone sees only the sites they belong to."""
