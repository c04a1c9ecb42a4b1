"""Texts of exercises in rooms (bot.handlers.exercises)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "exercise.default_title": {"sv": "Övning {scenario}", "en": "Exercise {scenario}"},
    "exercise.again": {"sv": "övning {scenario} {title}", "en": "exercise {scenario} {title}"},
    "exercise.started": {
        "sv": "Övningen är startad av övningsledaren {leader}. Övningsklockan står på {at}; "
              "den går bara fram med `klocka +30m` (övningsledaren).",
        "en": "The exercise is started by the exercise leader {leader}. The exercise clock "
              "says {at}; it moves only with `clock +30m` (the exercise leader)."},
    "exercise.how": {
        "sv": "Övningen har eget krisrum och egen numrering; flytta klockan med `klocka +30m` "
              "och avsluta med `övning slut` (#{id}).",
        "en": "The exercise has its own war room and numbering; move the clock with "
              "`clock +30m` and end it with `exercise end` (#{id})."},
    "exercise.not_exercise": {
        "sv": "#{id} är en verklig aktivering, ingen övning. Inget ändrat.",
        "en": "#{id} is a real activation, not an exercise. Nothing changed."},
    "exercise.not_leader": {
        "sv": "Bara övningsledaren ({leader}) får flytta klockan eller avsluta övningen.",
        "en": "Only the exercise leader ({leader}) may move the clock or end the exercise."},
    "exercise.clock_now": {"sv": "Övningsklockan i #{id}: {at}.",
                           "en": "The exercise clock of #{id}: {at}."},
    "exercise.clock_moved": {"sv": "Övningsklockan flyttad {delta} till {at}.",
                             "en": "The exercise clock moved {delta} to {at}."},
    "exercise.clock_moving": {
        "sv": "Övningsklockan flyttas {delta} till {at}; det som infaller under tiden postas i "
              "tidsordning, sist klockans nya tid.",
        "en": "The exercise clock moves {delta} to {at}; what falls due meanwhile is posted in "
              "time order, the clock's new time last."},
    "exercise.clock_now_at": {"sv": "Övningsklockan står nu på {at} ({delta}).",
                              "en": "The exercise clock now says {at} ({delta})."},
    "exercise.ended": {
        "sv": "Övningen #{id} '{title}' är avslutad ({n} {n:aktivering|aktiveringar}{others}); "
              "protokoll och övningsrapport är postade och sparade.",
        "en": "The exercise #{id} '{title}' is ended ({n} {n:activation|activations}{others}); "
              "protocol and exercise report are posted and stored."},
    "exercise.report_title": {"sv": "## Övningsrapport", "en": "## Exercise report"},
    "exercise.report_acks": {"sv": "**Kvitteringar (övningsklockan)**",
                             "en": "**Acknowledgements (exercise clock)**"},
    "exercise.report_ack": {"sv": "- {at} {function}: {person} (#{id})",
                            "en": "- {at} {function}: {person} (#{id})"},
    "exercise.report_actors": {"sv": "**Tid till första kvittering per aktör**",
                               "en": "**Time to first acknowledgement per actor**"},
    "exercise.report_minutes": {"sv": "{minutes} min", "en": "{minutes} min"},
    "exercise.report_never": {"sv": "svarade aldrig", "en": "never answered"},
    "exercise.report_silent": {"sv": "**Svarade aldrig**", "en": "**Never answered**"},
    "status.exercises": {"sv": "**Pågående övningar: {n}** (räknas inte som aktiveringar)",
                         "en": "**Running exercises: {n}** (not counted as activations)"},
}
