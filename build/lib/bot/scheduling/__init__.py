"""The time side: samverkanskonferenser, ordinary meetings, reminders and deadlines, run by
APScheduler 3 in the leader process (or by the exercise clock), with the record as the
source of truth and a unique delivery key making every notice happen exactly once."""
