// The RedisDriver lives here.
