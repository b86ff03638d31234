"""The forum: its founding, rules of procedure, parties, invitations, delegations and chair."""
