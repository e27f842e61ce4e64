"""What the duplicate, carried-forward and single-action pages say, in Spanish (default) and
English: the review page's words (`page_text.UI`: navigation, period, reviewer...) and their own."""

from . import page_text

_OWN = {
    "es": {
        "nav_queue": "Cola de revisión",
        "all_periods": "todos",
        "dup_title": "Acciones posiblemente repetidas",
        "dup_help": ("Dos acciones del mismo periodo que parecen el mismo programa reportado dos "
                     "veces. Nada se fusiona hasta que una persona lo decide."),
        "same": "Misma acción (contar una vez)",
        "different": "Acciones distintas",
        "why": {"text": "texto casi idéntico", "name_figures": "mismo programa y mismas cifras",
                "embedding": "significado casi idéntico", "person": "marcado por una persona"},
        "similarity": "similitud",
        "no_duplicates": "No hay pares pendientes en este periodo.",
        "resolved_same": "Guardado: misma acción",
        "resolved_different": "Guardado: acciones distintas",
        "carried_title": "Programas que continúan: etiquetas como el año anterior",
        "carried_help": ("Cada acción continúa un programa que una persona ya decidió el periodo "
                         "anterior; se proponen sus etiquetas. Al aceptar, cada una queda como su "
                         "decisión, con su nombre y la hora."),
        "last_year_text": "texto del año anterior",
        "accept_selected": "Aceptar las seleccionadas",
        "select_all": "todas",
        "no_carried": "No hay etiquetas propuestas pendientes.",
        "accepted": "{n} decisiones guardadas",
        "need_name": "Escriba su nombre antes de decidir.",
        "action": "Acción",
        "decision": "Decisión vigente",
        "no_decision": "Sin decisión de una persona.",
        "file": "Archivo",
    },
    "en": {
        "nav_queue": "Review queue",
        "all_periods": "all",
        "dup_title": "Possibly repeated actions",
        "dup_help": ("Two actions of one period that look like one programme reported twice. "
                     "Nothing is merged until a person decides."),
        "same": "Same action (count once)",
        "different": "Different actions",
        "why": {"text": "near-identical text", "name_figures": "same programme and figures",
                "embedding": "near-identical meaning", "person": "marked by a person"},
        "similarity": "similarity",
        "no_duplicates": "No pairs left in this period.",
        "resolved_same": "Saved: same action",
        "resolved_different": "Saved: different actions",
        "carried_title": "Continuing programmes: labels as last year",
        "carried_help": ("Each action continues a programme a person decided last period; its "
                         "labels are proposed. Accepting records each as your decision, with your "
                         "name and the time."),
        "last_year_text": "last year's text",
        "accept_selected": "Accept the selected",
        "select_all": "all",
        "no_carried": "No proposed labels left.",
        "accepted": "{n} decisions saved",
        "need_name": "Enter your name before deciding.",
        "action": "Action",
        "decision": "Decision in force",
        "no_decision": "No decision by a person.",
        "file": "File",
    },
}

UI = {lang: {**page_text.UI[lang], **own} for lang, own in _OWN.items()}
