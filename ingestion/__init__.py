"""Loading policy documents, converting public data into knowledge files, and indexing them."""
