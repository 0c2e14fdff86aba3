"""The JSON API under /api/v1/: parse the request, make one domain call, serialize the result."""
