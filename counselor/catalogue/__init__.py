"""The policy catalogue: every policy by life stage, target group and region (docs/catalogue.md)."""
