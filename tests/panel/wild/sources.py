"""Where each wording of the corpus was seen (public material, found with the search tool in Dec 2026).

Code excerpts that the index gives without a repository are named by what they are and their index
id; pages by their address. The docs in ../shared/panel-api-docs are the five documented panels.
"""

CLONE_PHP = "a PHP reseller clone of the panel API (public code, search index id 10899435554)"
CLONE_PY = "a Python clone of the panel API (public code, search index id 53023426221)"
NODE_SHOP = "a Node reseller site matching panel errors (public code, search index id 46231883114)"
ADAPTER_TESTS = "an SMMv2 adapter's error-normalisation tests (public code, search index id 70250807653)"
ROUTER = "a provider router's try-next-provider list (public code, search index id 69406593308)"
ARABIC_BOT = "an Arabic Telegram SMM bot's table of panel error codes (public code, search index id 56254349432)"
TIKTOK_SCRIPT = "a TikTok views script checking {'error': 'error.incorrect_service_id'} (search index id 16620493409)"
PERMANENT_LIST = "a reseller's list of permanent provider errors (public code, search index id 61737465600)"
DB_DUMP = "a panel database dump with failed orders' panel answers (public code, search index id 29159780554)"
LINKSINDEXING = "https://www.linksindexing.com/api"
FOLLOWERAN = "https://followeran.com/en/api-docs/"
SMMPANELS_STORE = "https://pro.smmpanels.store/api"
CHEAPEST_INDIA = "https://cheapestindiasmmpanel.in/api"
NOTPANEL_ERRORS = "https://notpanel.com/developers/errors"
NOTPANEL_CANCEL = "https://notpanel.com/developers/cancel"
SUBNOC = "https://smm.subnoc.com/docs/api (key also accepted as ?key=, X-Api-Key)"
SCRIPT_INDO = "shadiew/scriptsmmpanel_indo cron/status-jap.php (status words Completed / Canceled / In progress)"
PRISMA_MAP = "a Prisma status map of a panel client (Pending, In progress, Completed, Partial, Processing, Canceled)"
JAVA_ENUM = "a Perfect Panel compatible status enum (PENDING … PARTIAL, CANCELLED, PAUSED, HOLDING)"
DOCS = "../shared/panel-api-docs (the five documented panels)"
CLOUDFLARE = "Cloudflare's managed challenge: HTTP 403 + header cf-mitigated: challenge, title 'Just a moment...'"
DDOS_GUARD = "DDoS-Guard's browser check page (Server: ddos-guard, title 'DDoS-Guard')"
RFC9110 = "RFC 9110 §10.2.3 Retry-After as an HTTP date; draft-ietf-httpapi-ratelimit-headers RateLimit-Reset"
IPLUSVIEW = "https://docs.iplusview.store (arrays of objects that name their own id)"
PLAIN_TEXT = "PHP panels that echo the error as plain text (mhafizhrh/cheaper-media api/curl.php: 'return order id or Error')"
REVIEW = "issue 19's review of answers collected from real panels (a list without ids)"
GET_ONLY = "bots that call panels with GET and a query string (sifeddineelbakhti/test commands/auto2.js; subnoc ?key=)"
JSON_ONLY = "reseller APIs that read a JSON body only (dev.wisecp.com reseller API, JSON with the key)"
FOLLOWS_REDIRECTS = "the Arabic bot's client sets CURLOPT_FOLLOWLOCATION for its panels (search index id 56254349432)"
SEO_FORM = ("SEO: issue 19's review names 'SEO keywords'; http://smmpanel.com.co/zh/api documents its add form "
            "(link, quantity and a keywords list, one per line)")
WEB_TRAFFIC_CLIENT = ("a panel client's addOrderWebTraffic(link, quantity, country, device, type_of_traffic, "
                      "google_keyword), and its demo catalogue of types 'High Quality', 'Realtime', 'Ads', 'WatchTime', "
                      "'Shorts', 'Live', 'Chat' (public code, search index id 61369827219)")
ORDER_FORM_FIELDS = ("a reseller's order form: keywords, country, device 1-5, type_of_traffic 1-3, google_keyword, "
                     "referring_url (public code, search index id 58532493701)")
