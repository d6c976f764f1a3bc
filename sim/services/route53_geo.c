/*
 * route53_geo.c — the geolocations Route 53 knows (GetGeoLocation, ListGeoLocations) and the
 * check used by GeoLocation routing records. Continents are Route 53's seven; countries are
 * ISO 3166-1 (table generated once from the iso-codes package, names as ISO spells them) plus
 * the default location "*"; subdivisions are the US states and DC, as Route 53 supports.
 * Listing order is Route 53's: continents, then countries by code with a country's
 * subdivisions right after it.
 */
#include <stdio.h>
#include <string.h>

#include "services/route53_int.h"

typedef struct {
    const char *code, *name;
} geo_t;

static const geo_t CONTINENTS[] = {
    {"AF", "Africa"},        {"AN", "Antarctica"}, {"AS", "Asia"},          {"EU", "Europe"},
    {"NA", "North America"}, {"OC", "Oceania"},    {"SA", "South America"},
};

static const geo_t COUNTRIES[] = {
    {"*", "Default"},
    {"AD", "Andorra"},
    {"AE", "United Arab Emirates"},
    {"AF", "Afghanistan"},
    {"AG", "Antigua and Barbuda"},
    {"AI", "Anguilla"},
    {"AL", "Albania"},
    {"AM", "Armenia"},
    {"AO", "Angola"},
    {"AQ", "Antarctica"},
    {"AR", "Argentina"},
    {"AS", "American Samoa"},
    {"AT", "Austria"},
    {"AU", "Australia"},
    {"AW", "Aruba"},
    {"AX", "Åland Islands"},
    {"AZ", "Azerbaijan"},
    {"BA", "Bosnia and Herzegovina"},
    {"BB", "Barbados"},
    {"BD", "Bangladesh"},
    {"BE", "Belgium"},
    {"BF", "Burkina Faso"},
    {"BG", "Bulgaria"},
    {"BH", "Bahrain"},
    {"BI", "Burundi"},
    {"BJ", "Benin"},
    {"BL", "Saint Barthélemy"},
    {"BM", "Bermuda"},
    {"BN", "Brunei Darussalam"},
    {"BO", "Bolivia, Plurinational State of"},
    {"BQ", "Bonaire, Sint Eustatius and Saba"},
    {"BR", "Brazil"},
    {"BS", "Bahamas"},
    {"BT", "Bhutan"},
    {"BV", "Bouvet Island"},
    {"BW", "Botswana"},
    {"BY", "Belarus"},
    {"BZ", "Belize"},
    {"CA", "Canada"},
    {"CC", "Cocos (Keeling) Islands"},
    {"CD", "Congo, The Democratic Republic of the"},
    {"CF", "Central African Republic"},
    {"CG", "Congo"},
    {"CH", "Switzerland"},
    {"CI", "Côte d'Ivoire"},
    {"CK", "Cook Islands"},
    {"CL", "Chile"},
    {"CM", "Cameroon"},
    {"CN", "China"},
    {"CO", "Colombia"},
    {"CR", "Costa Rica"},
    {"CU", "Cuba"},
    {"CV", "Cabo Verde"},
    {"CW", "Curaçao"},
    {"CX", "Christmas Island"},
    {"CY", "Cyprus"},
    {"CZ", "Czechia"},
    {"DE", "Germany"},
    {"DJ", "Djibouti"},
    {"DK", "Denmark"},
    {"DM", "Dominica"},
    {"DO", "Dominican Republic"},
    {"DZ", "Algeria"},
    {"EC", "Ecuador"},
    {"EE", "Estonia"},
    {"EG", "Egypt"},
    {"EH", "Western Sahara"},
    {"ER", "Eritrea"},
    {"ES", "Spain"},
    {"ET", "Ethiopia"},
    {"FI", "Finland"},
    {"FJ", "Fiji"},
    {"FK", "Falkland Islands (Malvinas)"},
    {"FM", "Micronesia, Federated States of"},
    {"FO", "Faroe Islands"},
    {"FR", "France"},
    {"GA", "Gabon"},
    {"GB", "United Kingdom"},
    {"GD", "Grenada"},
    {"GE", "Georgia"},
    {"GF", "French Guiana"},
    {"GG", "Guernsey"},
    {"GH", "Ghana"},
    {"GI", "Gibraltar"},
    {"GL", "Greenland"},
    {"GM", "Gambia"},
    {"GN", "Guinea"},
    {"GP", "Guadeloupe"},
    {"GQ", "Equatorial Guinea"},
    {"GR", "Greece"},
    {"GS", "South Georgia and the South Sandwich Islands"},
    {"GT", "Guatemala"},
    {"GU", "Guam"},
    {"GW", "Guinea-Bissau"},
    {"GY", "Guyana"},
    {"HK", "Hong Kong"},
    {"HM", "Heard Island and McDonald Islands"},
    {"HN", "Honduras"},
    {"HR", "Croatia"},
    {"HT", "Haiti"},
    {"HU", "Hungary"},
    {"ID", "Indonesia"},
    {"IE", "Ireland"},
    {"IL", "Israel"},
    {"IM", "Isle of Man"},
    {"IN", "India"},
    {"IO", "British Indian Ocean Territory"},
    {"IQ", "Iraq"},
    {"IR", "Iran, Islamic Republic of"},
    {"IS", "Iceland"},
    {"IT", "Italy"},
    {"JE", "Jersey"},
    {"JM", "Jamaica"},
    {"JO", "Jordan"},
    {"JP", "Japan"},
    {"KE", "Kenya"},
    {"KG", "Kyrgyzstan"},
    {"KH", "Cambodia"},
    {"KI", "Kiribati"},
    {"KM", "Comoros"},
    {"KN", "Saint Kitts and Nevis"},
    {"KP", "Korea, Democratic People's Republic of"},
    {"KR", "Korea, Republic of"},
    {"KW", "Kuwait"},
    {"KY", "Cayman Islands"},
    {"KZ", "Kazakhstan"},
    {"LA", "Lao People's Democratic Republic"},
    {"LB", "Lebanon"},
    {"LC", "Saint Lucia"},
    {"LI", "Liechtenstein"},
    {"LK", "Sri Lanka"},
    {"LR", "Liberia"},
    {"LS", "Lesotho"},
    {"LT", "Lithuania"},
    {"LU", "Luxembourg"},
    {"LV", "Latvia"},
    {"LY", "Libya"},
    {"MA", "Morocco"},
    {"MC", "Monaco"},
    {"MD", "Moldova, Republic of"},
    {"ME", "Montenegro"},
    {"MF", "Saint Martin (French part)"},
    {"MG", "Madagascar"},
    {"MH", "Marshall Islands"},
    {"MK", "North Macedonia"},
    {"ML", "Mali"},
    {"MM", "Myanmar"},
    {"MN", "Mongolia"},
    {"MO", "Macao"},
    {"MP", "Northern Mariana Islands"},
    {"MQ", "Martinique"},
    {"MR", "Mauritania"},
    {"MS", "Montserrat"},
    {"MT", "Malta"},
    {"MU", "Mauritius"},
    {"MV", "Maldives"},
    {"MW", "Malawi"},
    {"MX", "Mexico"},
    {"MY", "Malaysia"},
    {"MZ", "Mozambique"},
    {"NA", "Namibia"},
    {"NC", "New Caledonia"},
    {"NE", "Niger"},
    {"NF", "Norfolk Island"},
    {"NG", "Nigeria"},
    {"NI", "Nicaragua"},
    {"NL", "Netherlands"},
    {"NO", "Norway"},
    {"NP", "Nepal"},
    {"NR", "Nauru"},
    {"NU", "Niue"},
    {"NZ", "New Zealand"},
    {"OM", "Oman"},
    {"PA", "Panama"},
    {"PE", "Peru"},
    {"PF", "French Polynesia"},
    {"PG", "Papua New Guinea"},
    {"PH", "Philippines"},
    {"PK", "Pakistan"},
    {"PL", "Poland"},
    {"PM", "Saint Pierre and Miquelon"},
    {"PN", "Pitcairn"},
    {"PR", "Puerto Rico"},
    {"PS", "Palestine, State of"},
    {"PT", "Portugal"},
    {"PW", "Palau"},
    {"PY", "Paraguay"},
    {"QA", "Qatar"},
    {"RE", "Réunion"},
    {"RO", "Romania"},
    {"RS", "Serbia"},
    {"RU", "Russian Federation"},
    {"RW", "Rwanda"},
    {"SA", "Saudi Arabia"},
    {"SB", "Solomon Islands"},
    {"SC", "Seychelles"},
    {"SD", "Sudan"},
    {"SE", "Sweden"},
    {"SG", "Singapore"},
    {"SH", "Saint Helena, Ascension and Tristan da Cunha"},
    {"SI", "Slovenia"},
    {"SJ", "Svalbard and Jan Mayen"},
    {"SK", "Slovakia"},
    {"SL", "Sierra Leone"},
    {"SM", "San Marino"},
    {"SN", "Senegal"},
    {"SO", "Somalia"},
    {"SR", "Suriname"},
    {"SS", "South Sudan"},
    {"ST", "Sao Tome and Principe"},
    {"SV", "El Salvador"},
    {"SX", "Sint Maarten (Dutch part)"},
    {"SY", "Syrian Arab Republic"},
    {"SZ", "Eswatini"},
    {"TC", "Turks and Caicos Islands"},
    {"TD", "Chad"},
    {"TF", "French Southern Territories"},
    {"TG", "Togo"},
    {"TH", "Thailand"},
    {"TJ", "Tajikistan"},
    {"TK", "Tokelau"},
    {"TL", "Timor-Leste"},
    {"TM", "Turkmenistan"},
    {"TN", "Tunisia"},
    {"TO", "Tonga"},
    {"TR", "Türkiye"},
    {"TT", "Trinidad and Tobago"},
    {"TV", "Tuvalu"},
    {"TW", "Taiwan, Province of China"},
    {"TZ", "Tanzania, United Republic of"},
    {"UA", "Ukraine"},
    {"UG", "Uganda"},
    {"UM", "United States Minor Outlying Islands"},
    {"US", "United States"},
    {"UY", "Uruguay"},
    {"UZ", "Uzbekistan"},
    {"VA", "Holy See (Vatican City State)"},
    {"VC", "Saint Vincent and the Grenadines"},
    {"VE", "Venezuela, Bolivarian Republic of"},
    {"VG", "Virgin Islands, British"},
    {"VI", "Virgin Islands, U.S."},
    {"VN", "Viet Nam"},
    {"VU", "Vanuatu"},
    {"WF", "Wallis and Futuna"},
    {"WS", "Samoa"},
    {"YE", "Yemen"},
    {"YT", "Mayotte"},
    {"ZA", "South Africa"},
    {"ZM", "Zambia"},
    {"ZW", "Zimbabwe"},
};

static const geo_t US_STATES[] = {
    {"AK", "Alaska"},         {"AL", "Alabama"},
    {"AR", "Arkansas"},       {"AZ", "Arizona"},
    {"CA", "California"},     {"CO", "Colorado"},
    {"CT", "Connecticut"},    {"DC", "District of Columbia"},
    {"DE", "Delaware"},       {"FL", "Florida"},
    {"GA", "Georgia"},        {"HI", "Hawaii"},
    {"IA", "Iowa"},           {"ID", "Idaho"},
    {"IL", "Illinois"},       {"IN", "Indiana"},
    {"KS", "Kansas"},         {"KY", "Kentucky"},
    {"LA", "Louisiana"},      {"MA", "Massachusetts"},
    {"MD", "Maryland"},       {"ME", "Maine"},
    {"MI", "Michigan"},       {"MN", "Minnesota"},
    {"MO", "Missouri"},       {"MS", "Mississippi"},
    {"MT", "Montana"},        {"NC", "North Carolina"},
    {"ND", "North Dakota"},   {"NE", "Nebraska"},
    {"NH", "New Hampshire"},  {"NJ", "New Jersey"},
    {"NM", "New Mexico"},     {"NV", "Nevada"},
    {"NY", "New York"},       {"OH", "Ohio"},
    {"OK", "Oklahoma"},       {"OR", "Oregon"},
    {"PA", "Pennsylvania"},   {"RI", "Rhode Island"},
    {"SC", "South Carolina"}, {"SD", "South Dakota"},
    {"TN", "Tennessee"},      {"TX", "Texas"},
    {"UT", "Utah"},           {"VA", "Virginia"},
    {"VT", "Vermont"},        {"WA", "Washington"},
    {"WI", "Wisconsin"},      {"WV", "West Virginia"},
    {"WY", "Wyoming"},
};

#define NCONT ((int)(sizeof CONTINENTS / sizeof CONTINENTS[0]))
#define NCOUNTRY ((int)(sizeof COUNTRIES / sizeof COUNTRIES[0]))
#define NSTATE ((int)(sizeof US_STATES / sizeof US_STATES[0]))

static const geo_t *find(const geo_t *t, int n, const char *code) {
    for (int i = 0; code && i < n; i++)
        if (!strcmp(t[i].code, code)) return &t[i];
    return NULL;
}

int r53_geo_valid(const char *continent, const char *country, const char *subdivision) {
    if (continent) return find(CONTINENTS, NCONT, continent) != NULL && !country && !subdivision;
    if (!find(COUNTRIES, NCOUNTRY, country)) return 0;
    if (subdivision) return !strcmp(country, "US") && find(US_STATES, NSTATE, subdivision) != NULL;
    return 1;
}

/* Row i of the listing order: continents, then countries, US states right after US. */
static int row_count(void) {
    return NCONT + NCOUNTRY + NSTATE;
}

static void row(int i, const geo_t **cont, const geo_t **country, const geo_t **sub) {
    *cont = *country = *sub = NULL;
    if (i < NCONT) {
        *cont = &CONTINENTS[i];
        return;
    }
    i -= NCONT;
    int us = 0;
    for (int k = 0; k < NCOUNTRY; k++)
        if (!strcmp(COUNTRIES[k].code, "US")) us = k;
    if (i <= us) {
        *country = &COUNTRIES[i];
        return;
    }
    if (i <= us + NSTATE) {
        *country = &COUNTRIES[us];
        *sub = &US_STATES[i - us - 1];
        return;
    }
    *country = &COUNTRIES[i - NSTATE];
}

static cJSON *details(const geo_t *cont, const geo_t *country, const geo_t *sub) {
    cJSON *d = cJSON_CreateObject();
    if (cont) {
        cJSON_AddStringToObject(d, "ContinentCode", cont->code);
        cJSON_AddStringToObject(d, "ContinentName", cont->name);
    }
    if (country) {
        cJSON_AddStringToObject(d, "CountryCode", country->code);
        cJSON_AddStringToObject(d, "CountryName", country->name);
    }
    if (sub) {
        cJSON_AddStringToObject(d, "SubdivisionCode", sub->code);
        cJSON_AddStringToObject(d, "SubdivisionName", sub->name);
    }
    return d;
}

R53_OP(GetGeoLocation) {
    const char *cc = jstr(in, "ContinentCode"), *co = jstr(in, "CountryCode"),
               *sc = jstr(in, "SubdivisionCode");
    if (cc && (co || sc))
        return sim_err(e, 400, "InvalidInput",
                       "Invalid input: you can't specify ContinentCode with CountryCode");
    if (sc && !co)
        return sim_err(e, 400, "InvalidInput", "Invalid input: SubdivisionCode requires CountryCode");
    if (!cc && !co) co = "*"; /* no parameters: the default location */
    if (!r53_geo_valid(cc, co, sc))
        return sim_err(e, 404, "NoSuchGeoLocation", "The specified geo location doesn't exist.");
    cJSON_AddItemToObject(out, "GeoLocationDetails",
                          details(cc ? find(CONTINENTS, NCONT, cc) : NULL,
                                  co ? find(COUNTRIES, NCOUNTRY, co) : NULL,
                                  sc ? find(US_STATES, NSTATE, sc) : NULL));
    return 0;
}

R53_OP(ListGeoLocations) {
    int max = r53_max_items(in, "MaxItems", 100, 100);
    const char *cc = jstr(in, "StartContinentCode"), *co = jstr(in, "StartCountryCode");
    const char *sc = jstr(in, "StartSubdivisionCode");
    if (cc && co)
        return sim_err(e, 400, "InvalidInput", "Invalid input: StartContinentCode with StartCountryCode");
    if (sc && !co)
        return sim_err(e, 400, "InvalidInput",
                       "Invalid input: StartSubdivisionCode requires StartCountryCode");
    int start = 0, n = row_count();
    if (cc || co) {
        start = -1;
        for (int i = 0; i < n && start < 0; i++) {
            const geo_t *a, *b, *c;
            row(i, &a, &b, &c);
            if (cc && a && !strcmp(a->code, cc)) start = i;
            if (co && b && !strcmp(b->code, co) && ((!sc && !c) || (sc && c && !strcmp(c->code, sc))))
                start = i;
        }
        if (start < 0)
            return sim_err(e, 400, "InvalidInput", "Invalid input: the start location doesn't exist");
    }
    cJSON *list = cJSON_AddArrayToObject(out, "GeoLocationDetailsList");
    int i = start;
    for (; i < n && i < start + max; i++) {
        const geo_t *a, *b, *c;
        row(i, &a, &b, &c);
        cJSON_AddItemToArray(list, details(a, b, c));
    }
    cJSON_AddBoolToObject(out, "IsTruncated", i < n);
    if (i < n) {
        const geo_t *a, *b, *c;
        row(i, &a, &b, &c);
        if (a) cJSON_AddStringToObject(out, "NextContinentCode", a->code);
        if (b) cJSON_AddStringToObject(out, "NextCountryCode", b->code);
        if (c) cJSON_AddStringToObject(out, "NextSubdivisionCode", c->code);
    }
    char buf[16];
    snprintf(buf, sizeof buf, "%d", max);
    cJSON_AddStringToObject(out, "MaxItems", buf);
    return 0;
}
