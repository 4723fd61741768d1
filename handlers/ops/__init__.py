"""Operations: what the bot knows about itself (schedules' last runs, queue depths, errors, health coverage)."""
