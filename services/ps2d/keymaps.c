/* services/ps2d/keymaps.c: the layouts, as Linux's console keymaps of the
 * same names lay them out (without dead keys: a dead key gives its accent
 * at once). Per row: alone, with Shift, with AltGr; ' ' is no character.
 * Adding a layout is one entry here (docs/console.md). */
#include <stddef.h>

#include "keymap.h"

const struct keymap keymap_table[] = {
    {"us", {
        [KEYMAP_ROW_DIGITS] = {"1234567890-=", "!@#$%^&*()_+", NULL},
        [KEYMAP_ROW_TOP] = {"qwertyuiop[]", "QWERTYUIOP{}", NULL},
        [KEYMAP_ROW_HOME] = {"asdfghjkl;'`", "ASDFGHJKL:\"~", NULL},
        [KEYMAP_ROW_BOTTOM] = {"\\zxcvbnm,./", "|ZXCVBNM<>?", NULL},
        [KEYMAP_ROW_102ND] = {"<", ">", "|"},
    }},
    {"de", {
        [KEYMAP_ROW_DIGITS] = {"1234567890ß´", "!\"§$%&/()=?`", " ²³   {[]}\\ "},
        [KEYMAP_ROW_TOP] = {"qwertzuiopü+", "QWERTZUIOPÜ*", "@ €        ~"},
        [KEYMAP_ROW_HOME] = {"asdfghjklöä^", "ASDFGHJKLÖÄ°", NULL},
        [KEYMAP_ROW_BOTTOM] = {"#yxcvbnm,.-", "'YXCVBNM;:_", "       µ   "},
        [KEYMAP_ROW_102ND] = {"<", ">", "|"},
    }},
    {"fr", {
        [KEYMAP_ROW_DIGITS] = {"&é\"'(-è_çà)=", "1234567890°+", " ~#{[|`\\^@]}"},
        [KEYMAP_ROW_TOP] = {"azertyuiop^$", "AZERTYUIOP¨£", "  €        ¤"},
        [KEYMAP_ROW_HOME] = {"qsdfghjklmù²", "QSDFGHJKLM% ", NULL},
        [KEYMAP_ROW_BOTTOM] = {"*wxcvbn,;:!", "µWXCVBN?./§", NULL},
        [KEYMAP_ROW_102ND] = {"<", ">", NULL},
    }},
    {"uk", {
        [KEYMAP_ROW_DIGITS] = {"1234567890-=", "!\"£$%^&*()_+", "   €        "},
        [KEYMAP_ROW_TOP] = {"qwertyuiop[]", "QWERTYUIOP{}", NULL},
        [KEYMAP_ROW_HOME] = {"asdfghjkl;'`", "ASDFGHJKL:@¬", NULL},
        [KEYMAP_ROW_BOTTOM] = {"#zxcvbnm,./", "~ZXCVBNM<>?", NULL},
        [KEYMAP_ROW_102ND] = {"\\", "|", NULL},
    }},
    {NULL, {{NULL}}},
};
