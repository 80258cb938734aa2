"""Services: the operations of the API as plain async functions over storage and domain rules.

Every function takes the request's ``ServiceContext`` first. Resolvers call services; services
call the domain rules, the access checks and storage; nothing here knows about GraphQL.
"""
