"""Page helpers shared by the domains' staff pages (staff_common); the pages themselves live in their
domain (`<domain>/pages.py`)."""
