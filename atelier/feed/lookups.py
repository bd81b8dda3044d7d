"""`field__in_ids=ids`: membership in a list of integer ids, written into the SQL itself.

`field__in` sends one placeholder per id; a viewer with thousands of fellows made the
driver spend most of a ranking splitting a query of 15,000 placeholders. An array
parameter (`= ANY(%s)`) is cheap to send but PostgreSQL then scans the array for every
row. Integers are safe to inline once int() has checked them, and a constant IN list is
what PostgreSQL hashes.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField, Lookup


class InIds(Lookup):
    lookup_name = "in_ids"
    prepare_rhs = False

    def get_prep_lookup(self):
        return sorted({int(v) for v in self.rhs})

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = ", ".join(str(int(v)) for v in self.rhs)
        return f"{lhs} IN ({values})", lhs_params


IntegerField.register_lookup(InIds)
ForeignKey.register_lookup(InIds)


class InSubquery(Lookup):
    """`field__in_subquery=RawSQL(...)`: membership in a subquery's ids, evaluated once.

    On PostgreSQL `= ANY(ARRAY(subquery))`: the subquery runs once (an InitPlan) and the
    outer query fetches those rows through the primary key, where `IN (subquery)` leaves
    the planner free to hash-join it against a scan of the whole table when it misjudges
    how many ids come back.
    """

    lookup_name = "in_subquery"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return value, []

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql, params = self.rhs.sql, list(self.rhs.params)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY({sql}))", [*lhs_params, *params]
        return f"{lhs} IN ({sql})", [*lhs_params, *params]


IntegerField.register_lookup(InSubquery)
