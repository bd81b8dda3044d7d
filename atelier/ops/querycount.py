"""An optional count of the SQL queries behind each response, in the X-DB-Queries header.

Off by default; `QUERY_COUNT_HEADER=true` turns it on (`make load` does, to report queries
per request kind). It counts through a connection execute wrapper, so it keeps no SQL text
(unlike DEBUG's query log, which grows a worker's memory) and costs one integer increment
per query. Every database alias is counted (the primary and any read replica).
"""

from contextlib import ExitStack

from django.db import connections

QUERY_COUNT_HEADER = "X-DB-Queries"


class QueryCounter:
    """An execute wrapper that counts the statements it lets through."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    """Answer the number of queries the request ran in the X-DB-Queries header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counter))
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(counter.count)
        return response
