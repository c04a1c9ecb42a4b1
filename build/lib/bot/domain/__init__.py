"""Pure model and rules of the collaboration model. Imports no platform, storage or scheduler."""
