package convert

// TestREADMEMapping keeps the README's mapping table and the converter in
// step. How the table is read:
//
//   - the text between "<!-- mapping:start -->" and "<!-- mapping:end -->"
//     in ../../README.md is the mapping section;
//   - a mapping table starts at the line "| stream | API field | attribute | notes |",
//     is followed by a "|---|..." separator and runs while lines start with "|";
//     other tables in the section are ignored;
//   - a row is split on "|" into exactly four trimmed cells: the stream
//     (Kind.String(): audit_events, item_usages, signin_attempts), one API field
//     path in backticks, either "—" (body only) or one attribute name in
//     backticks, and free-text notes; a field with two attributes has two rows.
//
// It fails when a row is malformed, when the table names an attribute that no
// fixture or edge case produces for that stream, when the converter produces
// an attribute the table does not name for that stream, or when an API field
// of events-api.md §3.4–3.5 has no row.

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type mappingRow struct {
	stream, field, attribute, notes string // attribute "" for body only
}

func parseMappingTable(t *testing.T, readme string) []mappingRow {
	t.Helper()
	start := strings.Index(readme, "<!-- mapping:start -->")
	end := strings.Index(readme, "<!-- mapping:end -->")
	require.True(t, start >= 0 && end > start, "mapping markers not found in README.md")
	const header = "| stream | API field | attribute | notes |"

	var rows []mappingRow
	sc := bufio.NewScanner(strings.NewReader(readme[start:end]))
	inTable, tables := false, 0
	for line := 0; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		switch {
		case text == header:
			require.True(t, sc.Scan(), "mapping table header without a separator")
			require.True(t, strings.HasPrefix(strings.TrimSpace(sc.Text()), "|---"), "mapping table header without a separator")
			inTable = true
			tables++
			continue
		case !strings.HasPrefix(text, "|"):
			inTable = false
			continue
		case !inTable:
			continue
		}
		cells := strings.Split(strings.Trim(text, "|"), "|")
		require.Len(t, cells, 4, "row %q: want 4 cells", text)
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		row := mappingRow{stream: cells[0], field: unquote(t, cells[1], text), notes: cells[3]}
		require.Contains(t, []string{"audit_events", "item_usages", "signin_attempts"}, row.stream, "row %q", text)
		if cells[2] != "—" {
			row.attribute = unquote(t, cells[2], text)
		}
		rows = append(rows, row)
	}
	require.Equal(t, 1, tables, "want exactly one mapping table in the mapping section")
	require.NotEmpty(t, rows)
	return rows
}

func unquote(t *testing.T, cell, row string) string {
	t.Helper()
	require.True(t, len(cell) > 2 && strings.HasPrefix(cell, "`") && strings.HasSuffix(cell, "`") &&
		!strings.ContainsAny(cell[1:len(cell)-1], "` "), "row %q: %q is not one name in backticks", row, cell)
	return cell[1 : len(cell)-1]
}

// producedAttributes decodes every fixture and edge case and collects the
// attribute names each stream produced.
func producedAttributes(t *testing.T) map[string]map[string]bool {
	got := map[string]map[string]bool{}
	add := func(kind Kind, body []byte, items bool) {
		logs, _, err := decode(body, kind, items)
		require.NoError(t, err)
		if got[kind.String()] == nil {
			got[kind.String()] = map[string]bool{}
		}
		recs := records(logs)
		for i := range recs.Len() {
			for k := range recs.At(i).Attributes().All() {
				got[kind.String()][k] = true
			}
		}
	}
	for _, fx := range loadFixtures(t) {
		add(fx.kind, fx.body, fx.items)
	}
	for _, tc := range edgeCases {
		add(tc.kind, []byte(tc.input), tc.items)
	}
	return got
}

// apiFields are the item fields of events-api.md §3.4 (v1) and §3.5 (v2).
var apiFields = map[string][]string{
	"signin_attempts": {
		"uuid", "session_uuid", "timestamp", "category", "type", "country", "details", "details.value",
		"target_user", "target_user.uuid", "target_user.name", "target_user.email",
		"client", "client.app_name", "client.app_version", "client.platform_name", "client.platform_version",
		"client.os_name", "client.os_version", "client.ip_address",
		"location", "location.country", "location.region", "location.city", "location.latitude", "location.longitude",
		// v2
		"account_uuid", "target_user.user_type", "target_user.user_account_uuid",
	},
	"item_usages": {
		"uuid", "timestamp", "used_version", "vault_uuid", "item_uuid", "action",
		"user", "user.uuid", "user.name", "user.email",
		"client", "client.app_name", "client.app_version", "client.platform_name", "client.platform_version",
		"client.os_name", "client.os_version", "client.ip_address",
		"location", "location.country", "location.region", "location.city", "location.latitude", "location.longitude",
		// v2
		"account_uuid", "user.user_type", "user.user_account_uuid",
	},
	"audit_events": {
		"uuid", "timestamp", "actor_uuid", "actor_details", "actor_details.uuid", "actor_details.name", "actor_details.email",
		"action", "object_type", "object_uuid", "object_details", "object_details.uuid", "object_details.name", "object_details.email",
		"aux_id", "aux_uuid", "aux_details", "aux_details.uuid", "aux_details.name", "aux_details.email", "aux_info",
		"session", "session.uuid", "session.login_time", "session.device_uuid", "session.ip",
		"location", "location.country", "location.region", "location.city", "location.latitude", "location.longitude",
		// v2
		"actor_type", "actor_account_uuid", "account_uuid", "actor_details.user_type", "actor_details.user_account_uuid",
	},
}

func TestREADMEMapping(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	rows := parseMappingTable(t, string(readme))

	table := map[string]map[string]bool{}
	fields := map[string]map[string]bool{}
	for _, r := range rows {
		if table[r.stream] == nil {
			table[r.stream], fields[r.stream] = map[string]bool{}, map[string]bool{}
		}
		fields[r.stream][r.field] = true
		if r.attribute != "" {
			table[r.stream][r.attribute] = true
		}
	}
	produced := producedAttributes(t)
	for _, stream := range []string{"audit_events", "item_usages", "signin_attempts"} {
		for _, a := range sortedKeys(table[stream]) {
			assert.True(t, produced[stream][a], "%s: README names %s, but no fixture or edge case produces it", stream, a)
		}
		for _, a := range sortedKeys(produced[stream]) {
			assert.True(t, table[stream][a], "%s: the converter produces %s, which the README table does not name", stream, a)
		}
		for _, f := range apiFields[stream] {
			assert.True(t, fields[stream][f], "%s: API field %s has no row in the README table", stream, f)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
