package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"

// keyID identifies a field name the API is known to send. Known names are
// interned: the body map gets the constant string from keyNames instead of a
// slice of the page, and the ID drives attribute capture (fields.go).
type keyID uint8

// kUnknown is every name not listed below; such keys are kept in the body
// as sent and never produce attributes.
const kUnknown keyID = 0

const (
	_ keyID = iota
	// envelope
	kCursor
	kHasMore
	kItems
	// items (events-api.md §3.4–3.5)
	kUUID
	kTimestamp
	kSessionUUID
	kCategory
	kType
	kCountry
	kDetails
	kValue
	kTargetUser
	kUser
	kName
	kEmail
	kUserType
	kUserAccountUUID
	kClient
	kAppName
	kAppVersion
	kPlatformName
	kPlatformVersion
	kOSName
	kOSVersion
	kIPAddress
	kLocation
	kRegion
	kCity
	kLatitude
	kLongitude
	kAccountUUID
	kUsedVersion
	kVaultUUID
	kItemUUID
	kAction
	kActorUUID
	kActorDetails
	kActorType
	kActorAccountUUID
	kObjectType
	kObjectUUID
	kObjectDetails
	kAuxID
	kAuxUUID
	kAuxDetails
	kAuxInfo
	kSession
	kLoginTime
	kDeviceUUID
	kIP
	numKeys
)

var keyNames = [numKeys]string{
	kUnknown:          "",
	kCursor:           "cursor",
	kHasMore:          "has_more",
	kItems:            "items",
	kUUID:             "uuid",
	kTimestamp:        "timestamp",
	kSessionUUID:      "session_uuid",
	kCategory:         "category",
	kType:             "type",
	kCountry:          "country",
	kDetails:          "details",
	kValue:            "value",
	kTargetUser:       "target_user",
	kUser:             "user",
	kName:             "name",
	kEmail:            "email",
	kUserType:         "user_type",
	kUserAccountUUID:  "user_account_uuid",
	kClient:           "client",
	kAppName:          "app_name",
	kAppVersion:       "app_version",
	kPlatformName:     "platform_name",
	kPlatformVersion:  "platform_version",
	kOSName:           "os_name",
	kOSVersion:        "os_version",
	kIPAddress:        "ip_address",
	kLocation:         "location",
	kRegion:           "region",
	kCity:             "city",
	kLatitude:         "latitude",
	kLongitude:        "longitude",
	kAccountUUID:      "account_uuid",
	kUsedVersion:      "used_version",
	kVaultUUID:        "vault_uuid",
	kItemUUID:         "item_uuid",
	kAction:           "action",
	kActorUUID:        "actor_uuid",
	kActorDetails:     "actor_details",
	kActorType:        "actor_type",
	kActorAccountUUID: "actor_account_uuid",
	kObjectType:       "object_type",
	kObjectUUID:       "object_uuid",
	kObjectDetails:    "object_details",
	kAuxID:            "aux_id",
	kAuxUUID:          "aux_uuid",
	kAuxDetails:       "aux_details",
	kAuxInfo:          "aux_info",
	kSession:          "session",
	kLoginTime:        "login_time",
	kDeviceUUID:       "device_uuid",
	kIP:               "ip",
}

// keyTable is a small open-addressed hash table over keyNames. A lookup costs
// one cheap hash of (length, first byte, last byte) and usually a single
// string comparison, which is faster than a Go map or a string switch.
const keyTableSize = 256 // power of two, > 4 × numKeys so that probes stay short

var keyTable [keyTableSize]keyID

func keyHash(s string) uint32 {
	n := uint32(len(s))
	return (n*31 + uint32(s[0])*7 + uint32(s[len(s)-1])*131 + uint32(s[n/2])*17) & (keyTableSize - 1)
}

func init() {
	for k := keyID(1); k < numKeys; k++ {
		h := keyHash(keyNames[k])
		for keyTable[h] != kUnknown {
			h = (h + 1) & (keyTableSize - 1)
		}
		keyTable[h] = k
	}
}

// lookupKey returns the ID of a known field name, or kUnknown.
func lookupKey(s string) keyID {
	if len(s) == 0 || len(s) > len("actor_account_uuid") {
		return kUnknown
	}
	h := keyHash(s)
	for {
		k := keyTable[h]
		if k == kUnknown {
			return kUnknown
		}
		if keyNames[k] == s {
			return k
		}
		h = (h + 1) & (keyTableSize - 1)
	}
}
