"""The GraphQL edge: SDL, resolvers, request context, error mapping and query limits."""
