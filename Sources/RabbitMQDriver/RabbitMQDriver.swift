// The RabbitMQDriver lives here.
