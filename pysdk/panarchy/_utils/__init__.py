"""Private helpers of the SDK; nothing here is public API."""
