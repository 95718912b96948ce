"""Finding the policies that answer a question: embedders, the two indexes, and their fusion."""
