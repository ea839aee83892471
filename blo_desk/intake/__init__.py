"""HQ's intake service: the HTTP face (Starlette on uvicorn) of bundle delivery by resumable upload."""
