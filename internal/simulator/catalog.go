package simulator

// Value tables for generated events. Enumerations follow events-api.md §4;
// client and location blocks follow the fixtures' shapes. Strings here are
// written into JSON verbatim by the renderer, so they must not need escaping
// beyond what appendJSONString does (it escapes correctly anyway).

var firstNames = []string{
	"Wendy", "Jeff", "Ana", "Noah", "Priya", "Liam", "Mei", "Lucas", "Sofia", "Omar",
	"Chloé", "Hiro", "Amara", "Jonas", "Isabel", "Mateo", "Zoe", "Ravi", "Elena", "Kofi",
	"Grace", "Tomás", "Aiko", "Sven", "Fatima", "Jack", "Olivia", "Yusuf", "Ingrid", "Diego",
}

var lastNames = []string{
	"Appleseed", "Shiner", "Silva", "Nguyen", "Patel", "O'Neill", "Chen", "Müller", "Rossi", "Haddad",
	"Dubois", "Tanaka", "Okafor", "Berg", "García", "Kowalski", "Smith", "Iyer", "Petrova", "Mensah",
	"Hopper", "Fernández", "Sato", "Lindqvist", "Rahman", "Murphy", "Brown", "Yilmaz", "Larsen", "López",
}

var companyDomains = []string{
	"example.com", "acme.example", "northwind.example", "initech.example", "globex.example",
}

var serviceAccountNames = []string{
	"CI deploy", "Terraform", "Kubernetes operator", "Backup job", "Secrets sync",
}

// clientTemplate is the static part of a Client block.
type clientTemplate struct {
	appName, appVersion, platformName, platformVersion, osName, osVersion string
	server                                                                bool // CLI/SDK/Connect: the server-* item actions
}

var clients = []clientTemplate{
	{"1Password Browser Extension", "20127", "Chrome", "124.0.6367.91", "MacOSX", "14.4.1", false},
	{"1Password Browser Extension", "20127", "Firefox", "125.0.3", "Windows", "10.0.22631", false},
	{"1Password Browser Extension", "1109", "Chrome", "93.0.4577.62", "Android", "10", false},
	{"1Password Browser Extension", "20131", "Edge", "124.0.2478.80", "Windows", "10.0.19045", false},
	{"1Password Browser Extension", "20131", "Safari", "17.4.1", "MacOSX", "14.4.1", false},
	{"1Password for Mac", "81055002", "US - C02FR0H8MD6P", "MacBookPro16,1", "MacOSX", "14.4.1", false},
	{"1Password for Mac", "81053026", "Mac mini", "Macmini9,1", "MacOSX", "13.6.6", false},
	{"1Password for Windows", "81055002", "DESKTOP-4F7K2LQ", "Dell Inc. XPS 15 9520", "Windows", "10.0.22631", false},
	{"1Password for Linux", "81055002", "ubuntu-ws", "LENOVO 21CB", "Linux", "6.5.0-28-generic", false},
	{"1Password for iOS", "81055002", "iPhone", "iPhone15,2", "iOS", "17.4.1", false},
	{"1Password for Android", "81055002", "Pixel 8", "Google Pixel 8", "Android", "14", false},
	{"1Password for Web", "1791", "Chrome", "124.0.6367.91", "MacOSX", "14.4.1", false},
	{"1Password CLI", "2300001", "op", "amd64", "Linux", "6.1.0", true},
	{"1Password SDK", "20000", "go", "arm64", "Linux", "6.1.0", true},
	{"1Password Connect", "1070", "connect-api", "amd64", "Linux", "5.15.0", true},
}

// place is a Location block plus what sign-ins and IPs need.
type place struct {
	code, region, city, lat, lon, continent string
	ipPrefix                                string // first two octets of an address there
}

var places = []place{
	{"CA", "Ontario", "Toronto", "43.64", "-79.433", "North America", "24.114."},
	{"CA", "Quebec", "Montréal", "45.5017", "-73.5673", "North America", "70.81."},
	{"US", "California", "San Francisco", "37.7749", "-122.4194", "North America", "67.188."},
	{"US", "New York", "New York", "40.7128", "-74.006", "North America", "72.229."},
	{"US", "Texas", "Austin", "30.2672", "-97.7431", "North America", "98.97."},
	{"GB", "England", "London", "51.5072", "-0.1276", "Europe", "81.2."},
	{"DE", "Berlin", "Berlin", "52.52", "13.405", "Europe", "91.64."},
	{"FR", "Île-de-France", "Paris", "48.8566", "2.3522", "Europe", "90.84."},
	{"NL", "North Holland", "Amsterdam", "52.3676", "4.9041", "Europe", "145.131."},
	{"IE", "Leinster", "Dublin", "53.3498", "-6.2603", "Europe", "86.40."},
	{"CH", "Zurich", "Zürich", "47.3769", "8.5417", "Europe", "178.197."},
	{"AR", "Buenos Aires", "Buenos Aires", "-34.6037", "-58.3816", "South America", "181.46."},
	{"BR", "São Paulo", "São Paulo", "-23.5558", "-46.6396", "South America", "177.33."},
	{"IL", "Tel Aviv", "Tel Aviv", "32.0853", "34.7818", "Asia", "79.176."},
	{"IN", "Karnataka", "Bengaluru", "12.9716", "77.5946", "Asia", "49.207."},
	{"JP", "Tokyo", "Tokyo", "35.6762", "139.6503", "Asia", "126.15."},
	{"AU", "New South Wales", "Sydney", "-33.8688", "151.2093", "Oceania", "101.160."},
	{"ZA", "Western Cape", "Cape Town", "-33.9249", "18.4241", "Africa", "105.184."},
}

// signInOutcome is a (category, type) pair; detail says what details.value
// holds (firewall rules: the continent, country or IP that matched).
type signInOutcome struct {
	category, typ string
	detail        byte // 0 none (null), 'C' continent, 'N' country, 'I' ip, 'A' anonymous
	weight        int
}

// Mostly successes; failures spread over the §4.1/§4.2 enumerations.
var signInOutcomes = []signInOutcome{
	{"success", "credentials_ok", 0, 780},
	{"success", "mfa_ok", 0, 60},
	{"success", "federated", 0, 10},
	{"credentials_failed", "password_secret_bad", 0, 60},
	{"mfa_failed", "totp_bad", 0, 12},
	{"mfa_failed", "totp_timeout", 0, 4},
	{"mfa_failed", "mfa_missing", 0, 4},
	{"mfa_failed", "u2f_bad", 0, 3},
	{"mfa_failed", "u2f_timeout", 0, 2},
	{"mfa_failed", "duo_bad", 0, 2},
	{"mfa_failed", "duo_timeout", 0, 2},
	{"mfa_failed", "code_bad", 0, 2},
	{"mfa_failed", "platform_secret_bad", 0, 1},
	{"firewall_failed", "continent_blocked", 'C', 8},
	{"firewall_failed", "country_blocked", 'N', 8},
	{"firewall_failed", "ip_blocked", 'I', 4},
	{"firewall_failed", "anonymous_blocked", 'A', 2},
	{"firewall_reported_success", "country_blocked", 'N', 5},
	{"sso_failed", "non_sso_user", 0, 3},
	{"sso_failed", "sso_user_mismatch", 0, 2},
	{"sso_failed", "service_account_sso_denied", 0, 1},
	{"modern_version_failed", "modern_version_old", 0, 3},
	{"modern_version_failed", "modern_version_missing", 0, 1},
}

// itemActions: "" means the field is absent (clients older than 8.4.0).
var itemActions = []struct {
	action string
	weight int
	server bool // only from CLI/SDK/Connect clients
}{
	{"fill", 330, false},
	{"secure-copy", 200, false},
	{"reveal", 150, false},
	{"enter-item-edit-mode", 50, false},
	{"select-sso-provider", 15, false},
	{"share", 10, false},
	{"export", 5, false},
	{"other", 10, false},
	{"server-fetch", 80, true},
	{"server-update", 20, true},
	{"server-create", 10, true},
	{"", 120, false},
}

// Audit object shapes: which object/aux fields an (action, object_type)
// combination carries (events-api.md §4.6).
const (
	shapePlain   = iota // object_uuid: a lower-case object of its own
	shapeUser           // object_uuid/object_details: a user
	shapeVault          // object_uuid: a vault
	shapeGroup          // object_uuid: a group
	shapeAccount        // object_uuid: the account
	shapeGM             // group membership: aux_id, aux_uuid/aux_details, aux_info R|A
	shapeUVA            // user vault access: aux_uuid/aux_details the user
	shapeGVA            // group vault access: aux_uuid the group
	shapeDevice         // device: aux_id (sometimes > 2^53), aux_uuid/aux_details the owner
	shapeInvite         // invite: aux_info the invited address
	shapeSAToken        // service-account token: aux_uuid the service account
	shapeItem           // object_uuid: an item, aux_uuid its vault
)

type auditTemplate struct {
	action, objectType string
	shape              int
	weight             int
}

var auditTemplates = []auditTemplate{
	{"join", "gm", shapeGM, 60},
	{"leave", "gm", shapeGM, 25},
	{"role", "gm", shapeGM, 10},
	{"grant", "uva", shapeUVA, 50},
	{"revoke", "uva", shapeUVA, 20},
	{"update", "uva", shapeUVA, 20},
	{"grant", "gva", shapeGVA, 20},
	{"revoke", "gva", shapeGVA, 8},
	{"create", "vault", shapeVault, 25},
	{"update", "vault", shapeVault, 15},
	{"delete", "vault", shapeVault, 5},
	{"export", "vault", shapeVault, 3},
	{"create", "device", shapeDevice, 60},
	{"reauth", "device", shapeDevice, 15},
	{"delete", "device", shapeDevice, 8},
	{"create", "user", shapeUser, 20},
	{"activate", "user", shapeUser, 15},
	{"suspend", "user", shapeUser, 8},
	{"reactive", "user", shapeUser, 4},
	{"delete", "user", shapeUser, 4},
	{"provsn", "user", shapeUser, 10},
	{"upguest", "user", shapeUser, 2},
	{"changemp", "user", shapeUser, 8},
	{"changesk", "user", shapeUser, 3},
	{"enblmfa", "user", shapeUser, 8},
	{"updatmfa", "user", shapeUser, 4},
	{"disblmfa", "user", shapeUser, 2},
	{"create", "group", shapeGroup, 8},
	{"update", "group", shapeGroup, 5},
	{"delete", "group", shapeGroup, 2},
	{"create", "invite", shapeInvite, 12},
	{"delete", "invite", shapeInvite, 3},
	{"resendts", "invite", shapeInvite, 3},
	{"create", "item", shapeItem, 10},
	{"update", "item", shapeItem, 10},
	{"delete", "item", shapeItem, 4},
	{"share", "item", shapeItem, 3},
	{"delshare", "item", shapeItem, 1},
	{"view", "itemhist", shapeItem, 3},
	{"purge", "items", shapeVault, 1},
	{"create", "cred", shapeItem, 2},
	{"create", "sa", shapePlain, 2},
	{"create", "satoken", shapeSAToken, 3},
	{"trename", "satoken", shapeSAToken, 1},
	{"tverify", "satoken", shapeSAToken, 1},
	{"trevoke", "satoken", shapeSAToken, 1},
	{"updatfw", "account", shapeAccount, 2},
	{"disblmfa", "account", shapeAccount, 1},
	{"enblduo", "account", shapeAccount, 1},
	{"changenm", "account", shapeAccount, 1},
	{"trvlaway", "account", shapeAccount, 1},
	{"trvlback", "account", shapeAccount, 1},
	{"enblsso", "sso", shapePlain, 1},
	{"chngpsso", "sso", shapePlain, 1},
	{"addgsso", "sso", shapePlain, 1},
	{"ssotknv", "ssotkn", shapePlain, 2},
	{"create", "template", shapePlain, 1},
	{"view", "report", shapePlain, 2},
	{"replace", "vaultkey", shapeVault, 1},
	{"expire", "satoken", shapeSAToken, 1},
	{"launchi", "mngdacc", shapePlain, 1},
	{"unlink", "mngdacc", shapePlain, 1},
}
