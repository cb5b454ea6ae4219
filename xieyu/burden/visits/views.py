"""Pages of this subdomain."""
