"""Platform-neutral command handlers: input a parsed command and who/where, output a Reply;
effects go through the outbox."""
