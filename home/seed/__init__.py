"""The society's demo content and the code that builds it (`manage.py seed_site`)."""
