"""The personal space (/me): what the signed-in person has across the domains (orders and tickets,
speed-meetings, sessions). Owns no table; its page reads ticketing, scheduling and accounts."""
