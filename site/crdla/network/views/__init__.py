"""Views of the regional networks (calls, alerts, exchange spaces, common programme vote,
survey results)."""
