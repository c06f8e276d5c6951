print("lazyrabbit")
