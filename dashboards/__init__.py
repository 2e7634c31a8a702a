"""The analysts' Dash app over the warehouse marts (`breach-warehouse serve`)."""
