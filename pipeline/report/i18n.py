"""The report's words: Spanish headings as the Informe Ejecutivo prints them, and English.

Tables are computed with stable English column keys (`objective`, `total`, `action_ids`, ...);
every file a person reads (XLSX, CSV, Markdown, HTML) shows them through `heading()`.
"""

from ..errors import PmmError
from ..taxonomy import LANGUAGES


TEXT = {
    "es": {
        "report_title": "Informe Ejecutivo",
        "report_subtitle": ("Programas, acciones y buenas prácticas para el seguimiento de los 23 "
                            "objetivos del PMM"),
        "generated": "Generado el {date} con pmm {version}.",
        "period_all": "Periodo: todas las acciones del almacén.",
        "period_one": "Periodo: {period}.",
        "source_line": ("Etiquetas de objetivos del PMM: {human} decididas por personas, {document} "
                        "declaradas en el propio documento, {model} asignadas por el modelo, "
                        "{none} acciones sin etiqueta."),
        "no_actions": "No hay acciones que contar.",
        "table_of_contents": "Contenido",
        "traceability": ("Cada cifra puede rastrearse hasta las acciones que cuenta: la hoja "
                         "«Acciones» del libro XLSX, la columna «Acciones (id)» y el anexo de este "
                         "informe las listan."),
        "action_ids_summary": "{n} acciones",
        "action_ids_summary_one": "1 acción",
        "kicker": "Pacto Mundial para una Migración Segura, Ordenada y Regular",
        # Sections
        "sec_summary": "Resumen",
        "sec_objectives": "Número de programas y acciones por objetivo del PMM",
        "sec_most": "Objetivos con más programas y/o acciones",
        "sec_fewest": "Objetivos con menos programas y/o acciones",
        "sec_actors": "Actores participantes",
        "sec_actions_per_actor": "Acciones por actor",
        "sec_actor_types": "Acciones por tipo de actor",
        "sec_participants": "Dependencias y entidades federativas participantes",
        "sec_states": "Acciones por entidad federativa",
        "sec_state_buckets": "Entidades federativas por número de acciones",
        "sec_challenges_federal": ("Retos identificados por las dependencias de la APF, órganos "
                                   "desconcentrados y organismos autónomos"),
        "sec_challenges_state": "Retos identificados por las entidades federativas",
        "sec_gcm_sdg": "Correlación de los objetivos del PMM con los Objetivos de Desarrollo Sostenible",
        "sec_gcm_sdg_matrix": "Objetivos del PMM × ODS (número de acciones)",
        "sec_review": "Estado de la revisión: etiquetas decididas por personas y por el modelo",
        "sec_confidence": "Confianza del modelo en las etiquetas que no ha revisado una persona",
        "sec_actions": "Acciones",
        # Charts
        "chart_total": ("Gráfica general con el número de programas y acciones que se implementan "
                        "en México para el seguimiento de los 23 objetivos del PMM"),
        "chart_federal": ("Gráfica con el número de programas y acciones implementadas por "
                          "dependencias y organismos autónomos"),
        "chart_state": ("Gráfica con el número de programas y acciones implementadas por las "
                        "entidades federativas"),
        "chart_map": "Mapa con el número de acciones implementadas por las Entidades Federativas",
        "chart_challenges_federal": "Retos por categoría: dependencias federales",
        "chart_challenges_state": "Retos por categoría: entidades federativas",
        "axis_objective": "Objetivo del PMM",
        "axis_actions": "Número de acciones",
        "axis_challenges": "Número de retos",
        "map_legend_none": "Sin acciones",
        "map_legend_title": "Número de acciones",
        # Notes
        "note_multi_objective": ("Nota metodológica: una acción vinculada a más de un objetivo se "
                                 "cuenta en cada uno de ellos; por eso la suma de la columna puede "
                                 "ser mayor que el número de acciones."),
        "note_levels": ("Nivel federal: dependencias de la APF, órganos desconcentrados, organismos "
                        "autónomos y el Senado. Nivel estatal: gobiernos de las entidades "
                        "federativas; las acciones de un municipio cuentan en su entidad."),
        "note_ties": ("Empates: los objetivos empatados con el último lugar de la tabla se incluyen "
                      "todos; a igual número de acciones, el orden es el número del objetivo."),
        "note_most_order": ("El Informe 2022 imprime el objetivo 1 (23 acciones) antes que el 17 "
                            "(24); aquí el orden es siempre por número de acciones."),
        "note_challenges": ("Nota metodológica: 1) una acción cuyos retos corresponden a varias "
                            "categorías se cuenta en cada una; 2) hay retos que no corresponden a "
                            "ninguna categoría. A igual número de retos, el orden es el de las "
                            "categorías del anexo."),
        "note_gcm_sdg": ("Cada celda cuenta las acciones que tienen a la vez el objetivo del PMM y "
                         "el ODS; una meta (p. ej. 10.7) cuenta en su objetivo (10)."),
        "note_buckets": ("Colores como en el mapa del Informe: de 1 a 3 acciones en rojo, de 4 a 10 "
                         "en amarillo, 11 o más en verde; gris sin acciones."),
        "note_period_excluded": ("{n} acciones sin periodo registrado quedaron fuera por el filtro "
                                 "de periodo."),
        "note_no_state": ("{n} acciones de nivel estatal o municipal no identifican su entidad "
                          "federativa y no aparecen en el mapa."),
        "empty_table": "Sin datos.",
        # Summary rows
        "m_actions": "Total de programas y/o acciones",
        "m_federal": "Acciones de nivel federal",
        "m_state": "Acciones de nivel estatal (incluye municipal)",
        "m_municipal": "de ellas, de gobiernos municipales",
        "m_other": "Acciones de otros actores",
        "m_federal_actors": "Dependencias y organismos federales participantes",
        "m_states": "Entidades federativas participantes",
        "m_no_objective": "Acciones sin objetivo del PMM asignado",
        "m_excluded_period": "Acciones sin periodo excluidas por el filtro",
        # Levels, sources, buckets
        "level_federal": "Federal",
        "level_state": "Estatal",
        "level_other": "Otros",
        "source_human": "Decisión humana",
        "source_document": "Declarado en el documento",
        "source_model": "Modelo",
        "source_none": "Sin etiqueta",
        "scheme_gcm": "Objetivos del PMM",
        "scheme_sdg": "ODS",
        "scheme_challenge": "Retos",
        "bucket_0": "Sin acciones",
        "bucket_1-3": "1 a 3",
        "bucket_4-10": "4 a 10",
        "bucket_11+": "11 o más",
        "color_red": "rojo",
        "color_yellow": "amarillo",
        "color_green": "verde",
        "color_grey": "gris",
        "type_federal": "federal", "type_autonomous": "autónomo", "type_legislative": "legislativo",
        "type_state": "estatal", "type_municipal": "municipal", "type_other": "otro",
        "no_actor": "(sin actor)",
        "unknown_label": "(etiqueta desconocida)",
        # Periods, duplicates and the comparison between periods
        "note_mixed_periods": ("Atención: el almacén tiene acciones de varios periodos ({periods}) y "
                               "este informe las cuenta todas; use --period para contar uno."),
        "note_duplicates_merged": ("{n} acciones que una persona confirmó como repetidas se "
                                   "contaron una sola vez (tabla «Acciones repetidas»)."),
        "note_duplicate_candidates": ("{n} pares de acciones posiblemente repetidas esperan revisión "
                                      "y se contaron por separado (pmm review duplicates)."),
        "sec_duplicates": "Acciones repetidas",
        "dup_merged": "fusionada (confirmado)",
        "dup_candidate": "posible repetición, sin revisar",
        "m_duplicates_merged": "Acciones repetidas contadas una vez",
        "m_duplicate_candidates": "Pares posiblemente repetidos sin revisar",
        "compare_title": "Comparación entre periodos",
        "compare_subtitle": "Periodo {current} frente a {previous}",
        "sec_compare_summary": "Resumen de la comparación",
        "sec_compare_objectives": "Programas y acciones por objetivo del PMM, por periodo",
        "sec_compare_actors": "Programas nuevos, continuos y concluidos por actor",
        "chart_compare": "Número de programas y acciones por objetivo del PMM en cada periodo",
        "compare_note_programmes": ("Continuo: una acción del periodo que continúa un programa del "
                                    "mismo actor del periodo anterior; nuevo: sin programa anterior; "
                                    "concluido: un programa del periodo anterior que nadie continúa."),
        "cm_actions": "Programas y acciones", "cm_new": "Nuevos", "cm_continuing": "Continuos",
        "cm_ended": "Concluidos", "cm_merged": "Repetidas contadas una vez",
    },
    "en": {
        "report_title": "Executive Report",
        "report_subtitle": "Programmes, actions and good practices for the 23 objectives of the GCM",
        "generated": "Generated on {date} with pmm {version}.",
        "period_all": "Period: every action in the store.",
        "period_one": "Period: {period}.",
        "source_line": ("GCM objective labels: {human} decided by people, {document} stated by the "
                        "submission itself, {model} assigned by the model, {none} actions without a "
                        "label."),
        "no_actions": "There are no actions to count.",
        "table_of_contents": "Contents",
        "traceability": ("Every figure can be traced to the actions it counts: the \"Actions\" "
                         "sheet of the XLSX workbook, the \"Actions (id)\" column and this report's "
                         "annex list them."),
        "action_ids_summary": "{n} actions",
        "action_ids_summary_one": "1 action",
        "kicker": "Global Compact for Safe, Orderly and Regular Migration",
        "sec_summary": "Summary",
        "sec_objectives": "Number of programmes and actions per GCM objective",
        "sec_most": "Objectives with the most programmes and/or actions",
        "sec_fewest": "Objectives with the fewest programmes and/or actions",
        "sec_actors": "Participating actors",
        "sec_actions_per_actor": "Actions per actor",
        "sec_actor_types": "Actions per actor type",
        "sec_participants": "Participating federal bodies and states",
        "sec_states": "Actions per state",
        "sec_state_buckets": "States by number of actions",
        "sec_challenges_federal": "Challenges reported by federal bodies and autonomous bodies",
        "sec_challenges_state": "Challenges reported by the states",
        "sec_gcm_sdg": "GCM objectives correlated with the Sustainable Development Goals",
        "sec_gcm_sdg_matrix": "GCM objectives × SDGs (number of actions)",
        "sec_review": "Review status: labels decided by people and by the model",
        "sec_confidence": "Model confidence in the labels no person has reviewed",
        "sec_actions": "Actions",
        "chart_total": ("Number of programmes and actions carried out in Mexico for the 23 GCM "
                        "objectives"),
        "chart_federal": "Number of programmes and actions of federal and autonomous bodies",
        "chart_state": "Number of programmes and actions of the states",
        "chart_map": "Map of the number of actions carried out by the states",
        "chart_challenges_federal": "Challenges per category: federal bodies",
        "chart_challenges_state": "Challenges per category: states",
        "axis_objective": "GCM objective",
        "axis_actions": "Number of actions",
        "axis_challenges": "Number of challenges",
        "map_legend_none": "No actions",
        "map_legend_title": "Number of actions",
        "note_multi_objective": ("Methodological note: an action linked to more than one objective "
                                 "counts under each of them, so a column may add up to more than "
                                 "the number of actions."),
        "note_levels": ("Federal level: federal ministries and agencies, autonomous bodies and the "
                        "Senate. State level: the state governments; a municipality's actions count "
                        "in its state."),
        "note_ties": ("Ties: every objective tied with the table's last place is included; with "
                      "equal counts, objectives are ordered by number."),
        "note_most_order": ("The 2022 Informe prints objective 1 (23 actions) before 17 (24); here "
                            "the order is always by number of actions."),
        "note_challenges": ("Methodological note: 1) an action whose challenges fall in several "
                            "categories counts in each; 2) some challenges fall in no category. "
                            "With equal counts, categories follow the annex order."),
        "note_gcm_sdg": ("Each cell counts the actions that carry both the GCM objective and the "
                         "SDG; a target (e.g. 10.7) counts under its goal (10)."),
        "note_buckets": ("Colours as on the Informe's map: 1 to 3 actions red, 4 to 10 yellow, 11 "
                         "or more green; grey without actions."),
        "note_period_excluded": "{n} actions without a recorded period were left out by the period filter.",
        "note_no_state": ("{n} state or municipal actions do not identify their state and are not "
                          "on the map."),
        "empty_table": "No data.",
        "m_actions": "Programmes and/or actions in total",
        "m_federal": "Federal-level actions",
        "m_state": "State-level actions (municipal included)",
        "m_municipal": "of which by municipal governments",
        "m_other": "Actions of other actors",
        "m_federal_actors": "Participating federal bodies",
        "m_states": "Participating states",
        "m_no_objective": "Actions without a GCM objective",
        "m_excluded_period": "Actions without a period left out by the filter",
        "level_federal": "Federal",
        "level_state": "State",
        "level_other": "Other",
        "source_human": "Human decision",
        "source_document": "Stated in the submission",
        "source_model": "Model",
        "source_none": "No label",
        "scheme_gcm": "GCM objectives",
        "scheme_sdg": "SDGs",
        "scheme_challenge": "Challenges",
        "bucket_0": "No actions",
        "bucket_1-3": "1 to 3",
        "bucket_4-10": "4 to 10",
        "bucket_11+": "11 or more",
        "color_red": "red",
        "color_yellow": "yellow",
        "color_green": "green",
        "color_grey": "grey",
        "type_federal": "federal", "type_autonomous": "autonomous", "type_legislative": "legislative",
        "type_state": "state", "type_municipal": "municipal", "type_other": "other",
        "no_actor": "(no actor)",
        "unknown_label": "(unknown label)",
        "note_mixed_periods": ("Note: the store holds actions of several periods ({periods}) and "
                               "this report counts them all; use --period to count one."),
        "note_duplicates_merged": ("{n} actions a person confirmed as reported twice were counted "
                                   "once (table \"Repeated actions\")."),
        "note_duplicate_candidates": ("{n} pairs of possibly repeated actions await review and were "
                                      "counted separately (pmm review duplicates)."),
        "sec_duplicates": "Repeated actions",
        "dup_merged": "merged (confirmed)",
        "dup_candidate": "possible repeat, not reviewed",
        "m_duplicates_merged": "Repeated actions counted once",
        "m_duplicate_candidates": "Possibly repeated pairs not reviewed",
        "compare_title": "Comparison between periods",
        "compare_subtitle": "Period {current} against {previous}",
        "sec_compare_summary": "Summary of the comparison",
        "sec_compare_objectives": "Programmes and actions per GCM objective, per period",
        "sec_compare_actors": "New, continuing and ended programmes per actor",
        "chart_compare": "Number of programmes and actions per GCM objective in each period",
        "compare_note_programmes": ("Continuing: an action that continues a programme of the same "
                                    "actor in the previous period; new: no earlier programme; ended: "
                                    "a programme of the previous period that nothing continues."),
        "cm_actions": "Programmes and actions", "cm_new": "New", "cm_continuing": "Continuing",
        "cm_ended": "Ended", "cm_merged": "Repeated actions counted once",
    },
}

# Column headings of the tables' stable keys.
HEADINGS = {
    "es": {
        "metric": "Concepto", "value": "Número",
        "objective": "Objetivo", "name": "Nombre", "objective_name": "Objetivo del PMM",
        "total": "Total", "federal": "Federal", "state": "Estatal", "other": "Otros",
        "count": "Número de programas, acciones y buenas prácticas",
        "rank": "Lugar", "actor": "Actor", "actor_type": "Tipo de actor", "level": "Nivel",
        "state_id": "Clave", "actors": "Actores", "participants": "Participantes", "actions": "Acciones",
        "names": "Nombres", "bucket": "Rango de acciones", "bucket_name": "Rango de acciones",
        "color": "Color", "states": "Entidades federativas",
        "category": "Clave", "challenges": "Número de retos", "category_name": "Categoría",
        "sdg": "ODS", "sdg_name": "Objetivo de Desarrollo Sostenible",
        "scheme": "Clasificación", "source": "Origen de la etiqueta", "model_version": "Versión del modelo",
        "confidence": "Confianza (puntaje más alto)",
        "action_ids": "Acciones (id)",
        # The "Acciones" sheet
        "id": "id", "external_id": "id de origen", "actor_name": "Nombre del actor",
        "period": "Periodo", "gcm": "Objetivos del PMM", "gcm_source": "Origen (PMM)",
        "sdgs": "ODS", "challenge_labels": "Retos", "file_name": "Archivo", "pages": "Páginas",
        "text": "Texto",
        "status": "Estado", "kept": "Se cuenta como", "repeated": "Repetida", "reason": "Motivo",
        "score": "Similitud", "reviewer": "Revisó",
        "previous": "Periodo anterior", "current": "Periodo actual", "change": "Cambio",
        "previous_ids": "Acciones del periodo anterior (id)", "current_ids": "Acciones del periodo actual (id)",
        "new": "Nuevos", "continuing": "Continuos", "ended": "Concluidos",
        "new_ids": "Nuevos (id)", "continuing_ids": "Continuos (id)", "ended_ids": "Concluidos (id)",
    },
    "en": {
        "metric": "Item", "value": "Number",
        "objective": "Objective", "name": "Name", "objective_name": "GCM objective",
        "total": "Total", "federal": "Federal", "state": "State", "other": "Other",
        "count": "Number of programmes, actions and good practices",
        "rank": "Rank", "actor": "Actor", "actor_type": "Actor type", "level": "Level",
        "state_id": "Code", "actors": "Actors", "participants": "Participants", "actions": "Actions",
        "names": "Names",
        "bucket": "Actions range", "bucket_name": "Actions range", "color": "Colour", "states": "States",
        "category": "Code", "challenges": "Number of challenges", "category_name": "Category",
        "sdg": "SDG", "sdg_name": "Sustainable Development Goal",
        "scheme": "Scheme", "source": "Label source", "model_version": "Model version",
        "confidence": "Confidence (top score)",
        "action_ids": "Actions (id)",
        "id": "id", "external_id": "source id", "actor_name": "Actor name",
        "period": "Period", "gcm": "GCM objectives", "gcm_source": "Source (GCM)",
        "sdgs": "SDGs", "challenge_labels": "Challenges", "file_name": "File", "pages": "Pages",
        "text": "Text",
        "status": "Status", "kept": "Counted as", "repeated": "Repeated", "reason": "Reason",
        "score": "Similarity", "reviewer": "Reviewer",
        "previous": "Previous period", "current": "Current period", "change": "Change",
        "previous_ids": "Previous period's actions (id)", "current_ids": "Current period's actions (id)",
        "new": "New", "continuing": "Continuing", "ended": "Ended",
        "new_ids": "New (id)", "continuing_ids": "Continuing (id)", "ended_ids": "Ended (id)",
    },
}

# Table key -> (section title key, short sheet name per language). Sheet names: 31 chars at most.
TABLES = {
    "summary": ("sec_summary", {"es": "Resumen", "en": "Summary"}),
    "objectives": ("sec_objectives", {"es": "Acciones por objetivo", "en": "Actions per objective"}),
    "objectives_most": ("sec_most", {"es": "Objetivos con más acciones", "en": "Most attended objectives"}),
    "objectives_fewest": ("sec_fewest", {"es": "Objetivos con menos acciones",
                                         "en": "Least attended objectives"}),
    "participants": ("sec_participants", {"es": "Participantes", "en": "Participants"}),
    "actor_types": ("sec_actor_types", {"es": "Tipos de actor", "en": "Actor types"}),
    "actors": ("sec_actions_per_actor", {"es": "Actores", "en": "Actors"}),
    "states": ("sec_states", {"es": "Entidades federativas", "en": "States"}),
    "state_buckets": ("sec_state_buckets", {"es": "Entidades por rango", "en": "States by range"}),
    "challenges_federal": ("sec_challenges_federal", {"es": "Retos federales", "en": "Federal challenges"}),
    "challenges_state": ("sec_challenges_state", {"es": "Retos estatales", "en": "State challenges"}),
    "gcm_sdg": ("sec_gcm_sdg", {"es": "PMM-ODS", "en": "GCM-SDG"}),
    "gcm_sdg_matrix": ("sec_gcm_sdg_matrix", {"es": "PMM x ODS (matriz)", "en": "GCM x SDG (matrix)"}),
    "review": ("sec_review", {"es": "Revisión", "en": "Review"}),
    "confidence": ("sec_confidence", {"es": "Confianza del modelo", "en": "Model confidence"}),
    "duplicates": ("sec_duplicates", {"es": "Acciones repetidas", "en": "Repeated actions"}),
}


# The words of the two Word documents (Compendio General, draft Informe Ejecutivo), kept apart from
# the tables' words above only for legibility; `text()` finds both.
DOCUMENT_TEXT = {
    "es": {
        "compendio_title": "Compendio General",
        "compendio_subtitle": ("Programas, acciones y buenas prácticas reportados para el seguimiento "
                               "de los 23 objetivos del Pacto Mundial para una Migración Segura, "
                               "Ordenada y Regular (PMM)"),
        "compendio_intro": ("Este compendio reúne {n} acciones reportadas por {actors} actores, "
                            "agrupadas por objetivo del PMM y, dentro de cada objetivo, por actor "
                            "(primero las dependencias federales y después las entidades "
                            "federativas). Una acción vinculada a más de un objetivo aparece en cada "
                            "uno de ellos, marcada como tal."),
        "compendio_objective_count": "{n} acciones",
        "compendio_objective_count_one": "1 acción",
        "compendio_unlabelled": "Acciones sin objetivo asignado",
        "compendio_also_under": "También en el objetivo {objectives}",
        "compendio_results": "Resultados",
        "compendio_challenges_text": "Retos",
        "compendio_sdgs": "ODS",
        "compendio_challenges": "Categorías de retos",
        "compendio_source": "Fuente",
        "compendio_page": "p. {pages}",
        "compendio_label_source": "Objetivo asignado por: {source}",
        "level_heading_federal": "Administración Pública Federal y organismos autónomos",
        "level_heading_state": "Entidades federativas",
        "level_heading_other": "Otros actores",
        "informe_title": "Informe Ejecutivo {period}",
        "informe_draft_notice": ("Borrador generado por pmm {version} el {date}. Las cifras provienen de "
                                 "las mismas tablas que el informe HTML y el libro XLSX; los textos "
                                 "entre corchetes los escribe una persona."),
        "informe_placeholder_place_date": "Lugar y fecha de publicación",
        "informe_placeholder_intro": ("Introducción: marco de la política migratoria y del PMM "
                                      "(puede partir del texto del informe anterior)"),
        "sec_preamble": "I. PREÁMBULO",
        "informe_preamble_figures": ("Para la elaboración {which}, tuvieron participación "
                                     "{federal_actors} actores distribuidos en dependencias de la "
                                     "Administración Pública Federal, Órganos Desconcentrados y "
                                     "Organismos Autónomos del Gobierno de México, así como {states} "
                                     "gobiernos estatales, que reportaron los programas, acciones y "
                                     "buenas prácticas que implementaron {period_phrase}; se "
                                     "contabilizó un total de {actions} programas y/o acciones."),
        "informe_which": "del informe {period}",
        "informe_which_all": "de este informe",
        "informe_period_phrase": "en el periodo {period}",
        "informe_period_phrase_all": "en el periodo que cubre este informe",
        "informe_placeholder_preamble": ("Antecedentes del Mecanismo de Seguimiento y novedades del "
                                         "ejercicio de este año"),
        "sec_conformacion": "II. CONFORMACIÓN DEL INFORME",
        "sec_evaluacion": "III. EVALUACIÓN GENERAL",
        "informe_totals": ("En total se registraron {actions} programas y/o acciones: {federal} de "
                           "actores federales y {state} de entidades federativas."),
        "sec_examples": ("IV. EJEMPLOS DE ACCIONES, PROGRAMAS Y BUENAS PRÁCTICAS DEL GOBIERNO DE "
                         "MÉXICO QUE DAN SEGUIMIENTO A LOS OBJETIVOS DEL PMM"),
        "informe_selection_rule": ("Acciones propuestas por pmm para cada objetivo (de 2 a 5, según "
                                   "cuántas tenga): primero las marcadas como destacadas en la "
                                   "revisión; después, las más representativas del objetivo "
                                   "(mayor similitud con el conjunto de sus acciones), con "
                                   "prioridad para las revisadas por una persona y las que informan "
                                   "resultados, sin repetir actor mientras haya otros y con acciones "
                                   "federales y estatales cuando el objetivo tiene de ambas. Una "
                                   "persona confirma o sustituye cada propuesta."),
        "informe_objective_heading": "Objetivo {objective}. {title}.",
        "informe_objective_more": "{shown} de {total} acciones del objetivo; el resto está en el Compendio General.",
        "informe_why_highlighted": "destacada en la revisión",
        "informe_why_human": "revisada por una persona",
        "informe_why_results": "informa resultados",
        "informe_why_central": "representativa del objetivo",
        "informe_proposed_because": "Propuesta: {reasons}.",
        "sec_retos": ("V. RETOS IDENTIFICADOS QUE DIFICULTAN LA IMPLEMENTACIÓN DE LOS PROGRAMAS, "
                      "ACCIONES Y BUENAS PRÁCTICAS VINCULADAS A LOS 23 OBJETIVOS DEL PMM"),
        "informe_placeholder_retos": "Lectura de los retos más frecuentes de cada nivel",
        "sec_analysis": "VI. ANÁLISIS",
        "informe_placeholder_analysis": "Análisis de las cifras federales y estatales",
        "sec_conclusions": "VII. CONCLUSIONES",
        "informe_conclusion_figures": ("El objetivo con mayor número de acciones es el {objective}. "
                                       "{title}, con {count} acciones."),
        "informe_placeholder_conclusions": "Conclusiones y recomendaciones",
        "sec_annexes": "ANEXOS",
        "annex_definitions": "1. Definiciones de las categorías para los retos identificados.",
        "annex_acronyms": ("2. Tabla con las dependencias de la APF, Órganos Desconcentrados y "
                           "Organismos Autónomos participantes y sus acrónimos."),
        "annex_states": "3. Entidades federativas participantes.",
        "col_acronym": "Acrónimo", "col_body": "Dependencia u organismo", "col_state": "Entidad federativa",
        "col_category": "Categoría", "col_definition": "Definición",
    },
    "en": {
        "compendio_title": "General Compendium",
        "compendio_subtitle": ("Programmes, actions and good practices reported on the 23 objectives of "
                               "the Global Compact for Safe, Orderly and Regular Migration (GCM)"),
        "compendio_intro": ("This compendium gathers {n} actions reported by {actors} actors, grouped "
                            "by GCM objective and, within each objective, by actor (federal bodies "
                            "first, then states). An action linked to more than one objective "
                            "appears under each of them, marked as such."),
        "compendio_objective_count": "{n} actions",
        "compendio_objective_count_one": "1 action",
        "compendio_unlabelled": "Actions without an objective",
        "compendio_also_under": "Also under objective {objectives}",
        "compendio_results": "Results",
        "compendio_challenges_text": "Challenges",
        "compendio_sdgs": "SDGs",
        "compendio_challenges": "Challenge categories",
        "compendio_source": "Source",
        "compendio_page": "p. {pages}",
        "compendio_label_source": "Objective assigned by: {source}",
        "level_heading_federal": "Federal public administration and autonomous bodies",
        "level_heading_state": "States",
        "level_heading_other": "Other actors",
        "informe_title": "Executive Report {period}",
        "informe_draft_notice": ("Draft written by pmm {version} on {date}. The figures come from the "
                                 "same tables as the HTML report and the XLSX workbook; bracketed "
                                 "texts are for a person to write."),
        "informe_placeholder_place_date": "Place and date of publication",
        "informe_placeholder_intro": "Introduction: migration policy and the GCM",
        "sec_preamble": "I. PREAMBLE",
        "informe_preamble_figures": ("{federal_actors} federal bodies, deconcentrated bodies and "
                                     "autonomous bodies and {states} state governments took part in "
                                     "{which}, reporting the programmes, actions and good "
                                     "practices they carried out {period_phrase}; {actions} programmes "
                                     "and/or actions were counted."),
        "informe_which": "the {period} report",
        "informe_which_all": "this report",
        "informe_period_phrase": "in the period {period}",
        "informe_period_phrase_all": "in the period this report covers",
        "informe_placeholder_preamble": "Background of the follow-up mechanism and this year's news",
        "sec_conformacion": "II. COMPOSITION OF THE REPORT",
        "sec_evaluacion": "III. GENERAL EVALUATION",
        "informe_totals": ("{actions} programmes and/or actions were recorded: {federal} by federal "
                           "actors and {state} by states."),
        "sec_examples": ("IV. EXAMPLES OF ACTIONS, PROGRAMMES AND GOOD PRACTICES OF THE GOVERNMENT OF "
                         "MEXICO THAT FOLLOW UP ON THE GCM OBJECTIVES"),
        "informe_selection_rule": ("Actions pmm proposes for each objective (2 to 5, by how many it "
                                   "has): first those marked destacada in review; then the most "
                                   "representative of the objective (closest to its actions as a "
                                   "whole), preferring those a person reviewed and those that report "
                                   "results, not repeating an actor while others remain, and with "
                                   "federal and state actions when the objective has both. A person "
                                   "confirms or replaces each proposal."),
        "informe_objective_heading": "Objective {objective}. {title}.",
        "informe_objective_more": "{shown} of the objective's {total} actions; the rest are in the General Compendium.",
        "informe_why_highlighted": "marked destacada in review",
        "informe_why_human": "reviewed by a person",
        "informe_why_results": "reports results",
        "informe_why_central": "representative of the objective",
        "informe_proposed_because": "Proposed: {reasons}.",
        "sec_retos": ("V. CHALLENGES IDENTIFIED THAT HINDER THE IMPLEMENTATION OF THE PROGRAMMES, "
                      "ACTIONS AND GOOD PRACTICES LINKED TO THE 23 GCM OBJECTIVES"),
        "informe_placeholder_retos": "Reading of each level's most frequent challenges",
        "sec_analysis": "VI. ANALYSIS",
        "informe_placeholder_analysis": "Analysis of the federal and state figures",
        "sec_conclusions": "VII. CONCLUSIONS",
        "informe_conclusion_figures": ("The objective with the most actions is {objective}. {title}, "
                                       "with {count} actions."),
        "informe_placeholder_conclusions": "Conclusions and recommendations",
        "sec_annexes": "ANNEXES",
        "annex_definitions": "1. Definitions of the challenge categories.",
        "annex_acronyms": "2. Participating federal bodies and their acronyms.",
        "annex_states": "3. Participating states.",
        "col_acronym": "Acronym", "col_body": "Body", "col_state": "State",
        "col_category": "Category", "col_definition": "Definition",
    },
}
for _lang, _words in DOCUMENT_TEXT.items():
    TEXT[_lang].update(_words)


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise PmmError(f"language {lang!r} is not available; use one of {', '.join(LANGUAGES)}")
    return lang


def text(key: str, lang: str, **values) -> str:
    """The sentence `key` in `lang`, with `values` filled in."""
    return TEXT[check_lang(lang)][key].format(**values)


def heading(column: str, lang: str) -> str:
    """A table column's heading; columns without one (e.g. SDG numbers of the matrix) keep their key."""
    return HEADINGS[check_lang(lang)].get(column, column)


def table_title(table: str, lang: str) -> str:
    return text(TABLES[table][0], lang)


def sheet_name(table: str, lang: str) -> str:
    return TABLES[table][1][check_lang(lang)]
