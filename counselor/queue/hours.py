"""Office hours: whether caseworkers are in now, and when they are next."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from counselor.settings import QueueSettings


class OfficeHours:
    def __init__(self, settings: QueueSettings) -> None:
        start, end = settings.office_hours.split("-")
        self.start, self.end = time.fromisoformat(start), time.fromisoformat(end)
        self.days = set(settings.office_days)
        self.zone = ZoneInfo(settings.timezone)

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(self.zone)
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def next_open(self, now: datetime) -> datetime:
        local = now.astimezone(self.zone)
        for days in range(8):
            day = (local + timedelta(days=days)).date()
            opening = datetime.combine(day, self.start, tzinfo=self.zone)
            if day.weekday() in self.days and opening > local:
                return opening
        return local  # no office days configured: say nothing useful rather than loop
