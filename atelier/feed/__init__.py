"""The personalized feed: ranking engine, its caches, configuration and experiments."""
