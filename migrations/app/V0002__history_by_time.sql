-- Status history by time, for "new leads per period" and conversion figures.
CREATE INDEX status_history_time ON status_history(tenant_id, at);
