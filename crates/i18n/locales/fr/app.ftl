# Textes de l'interface de Burin.

app-title = Burin
language = Langue
language-system = Suivre le système

## Menus
menu-file = Fichier
menu-open = Ouvrir…
menu-recent = Fichiers récents
menu-recent-none = Aucun fichier récent
menu-close = Fermer le dessin
menu-quit = Quitter
menu-view = Affichage
view-fit = Ajuster le plateau à la vue
view-console = Console
view-travel = Afficher les déplacements

## Status bar
status-ready = Prêt. Ouvrez un fichier SVG ou G-code, ou déposez-le sur la fenêtre.
status-clear = Effacer

## Open
open = Ouvrir…
open-title = Ouvrir un dessin
open-path = Chemin
open-go = Ouvrir
opening = Ouverture de { $file }…
filter-svg = Dessins SVG
filter-gcode = G-code
no-design-hint = Ouvrez un fichier SVG ou G-code (Ctrl+O), tapez son chemin ci-dessus ou déposez-le sur la fenêtre.
import-dpi = Lu à { $dpi } PPP

## Layers
layers = Calques
layer-output = Sortie
layer-mode = Mode
mode-line = Ligne
mode-fill = Remplissage
layer-speed = Vitesse
layer-power = Puissance
layer-passes = Passes
layer-air = Soufflage
layer-interval = Intervalle
layer-angle = Angle
layer-bidirectional = Bidirectionnel
mode-image = Image
layer-dither = Tramage
layer-min-power = Puissance min
layer-brightness = Luminosité
layer-contrast = Contraste
layer-gamma = Gamma
layer-invert = Inverser
layer-overscan = Dépassement
layer-overscan-auto = Dépassement automatique
layer-scan-vertical = Balayage vertical
layer-gray-tolerance = Fusionner les puissances à moins de
dither-threshold = Seuil
dither-bayer4 = Ordonné (Bayer 4×4)
dither-bayer8 = Ordonné (Bayer 8×8)
dither-floyd-steinberg = Floyd-Steinberg
dither-jarvis = Jarvis-Judice-Ninke
dither-stucki = Stucki
dither-atkinson = Atkinson
dither-burkes = Burkes
dither-sierra3 = Sierra
dither-sierra2 = Sierra deux lignes
dither-sierra-lite = Sierra Lite
dither-halftone = Similigravure
dither-grayscale = Niveaux de gris
layer-fill-shape-by-shape = Chaque forme séparément
layer-fill-shape-by-shape-hint = Désactivé : tout le calque est balayé comme une seule zone, ligne par ligne avec dépassement, et les formes qui se chevauchent ne brûlent qu’une fois. Activé : chaque forme est remplie à part (les chevauchements brûlent deux fois).
layer-crosshatch = Hachures croisées

## Placement
placement = Placement
origin-mode = Partir de
origin-absolute = Coordonnées absolues
origin-current = Position actuelle
origin-user = Origine utilisateur
anchor = Origine du travail
anchor-top-left = En haut à gauche
anchor-top = En haut
anchor-top-right = En haut à droite
anchor-left = À gauche
anchor-center = Centre
anchor-right = À droite
anchor-bottom-left = En bas à gauche
anchor-bottom = En bas
anchor-bottom-right = En bas à droite
width = Largeur
height = Hauteur
lock-ratio = Garder les proportions
placement-reset = Taille et position d'origine

## Preview
preview = Aperçu
checking = Vérification du programme (sécurité, durée)…
generating = Calcul du parcours…
estimate-time = Durée estimée
cut-length = Découpe
travel-length = Déplacements
program-lines = Lignes
preflight-ok = Contrôles de sécurité réussis
preflight-refused = Refusé :
replay = Rejouer
bed-help = Glisser pour déplacer la vue (glisser le travail pour le déplacer), molette pour zoomer, double-clic pour ajuster.

## Machine
machine = Machine
port = Port
port-simulator = Simulateur (sans laser)
ports-refresh = Actualiser
port-path = Ou tapez un chemin
connect = Connecter
disconnect = Déconnecter
connecting = Connexion à { $port }…
connected-to = Connecté : { $port }
state = État
work-pos = Travail
machine-pos = Machine
laser-mode-off = Le mode laser est désactivé ($32=0) : le laser s'arrêterait à chaque angle.
laser-mode-enable = Activer le mode laser
unlock = Déverrouiller
home = Prise d'origine
set-origin = Définir l'origine ici
go-origin = Aller à l'origine

## Jog
machine-info = GRBL { $version } · tampon { $buffer } octets · plateau { $w } × { $h } mm (lu dans $130/$131)
machine-info-saved = GRBL { $version } · tampon { $buffer } octets · plateau { $w } × { $h } mm (profil enregistré : la machine n'a pas donné $130/$131)
jog-has-z = Axe Z
jog = Déplacement manuel
jog-x-plus = Déplacer X+
jog-x-minus = Déplacer X-
jog-y-plus = Déplacer Y+
jog-y-minus = Déplacer Y-
jog-z-plus = Déplacer Z+
jog-z-minus = Déplacer Z-
jog-step = Pas (mm)
jog-feed = Vitesse de déplacement

## Job
job = Travail
frame-power = Puissance du cadrage
frame = Cadrer
start = Démarrer
pause = Pause
resume = Reprendre
stop = Arrêter
job-times = Écoulé { $elapsed } · restant { $remaining }
job-lines = { $acked } / { $total } lignes
override-feed = Vitesse
override-power = Puissance
override-reset = Remettre

## Console
console = Console
console-command = Commande
console-send = Envoyer
settings-table = Réglages de la machine ($$)
settings-table-empty = Connectez-vous pour lire les réglages de la machine.

## Notices
notice-opened = { $file } ouvert : { $layers } calques.
notice-open-failed = Impossible d'ouvrir { $file } : { $error }
notice-generate-failed = Impossible de calculer le parcours : { $error }
notice-preflight-refused = Ce travail serait refusé : { $finding }
notice-layer-invalid = Réglages du calque refusés : { $error }
notice-settings-unreadable = Fichier de réglages illisible, valeurs par défaut utilisées (le fichier n'a pas été modifié) : { $error }
notice-settings-not-saved = Réglages non enregistrés : { $error }
notice-connected = Connecté à { $port }.
notice-connect-failed = Impossible de se connecter à { $port } : { $error }
notice-disconnected = Déconnecté.
notice-link-lost = Connexion perdue ({ $error }). Dernière ligne acquittée : { $line }. Le laser a été éteint.
notice-not-connected = Connectez-vous d'abord à une machine.
notice-busy-job = Un travail est en cours : attendez la fin ou arrêtez-le.
notice-alarm-locked = La machine est en alarme : déverrouillez-la ou faites la prise d'origine.
notice-not-idle = La machine est occupée : attendez qu'elle soit au repos.
notice-no-design = Ouvrez d'abord un dessin.
notice-still-generating = Le parcours est encore en cours de calcul.
notice-nothing-to-frame = Rien à cadrer : le travail est vide.
notice-laser-mode-off = Le mode laser est désactivé ($32=0). Activez-le avant de graver.
notice-job-off-bed = Le travail dépasserait le plateau de { $mm } mm avec son origine en X { $x } Y { $y }.
notice-setting-invalid = ${ $number } ne peut pas valoir « { $value } » : un nombre est attendu.
notice-frame-done = Cadrage terminé.
notice-job-finished = Travail terminé : { $lines } lignes en { $time }.
notice-job-error = La machine a refusé la ligne { $line } ({ $source }) : erreur { $code }. Travail arrêté, laser éteint.
notice-job-rejected = La ligne { $line } ne peut pas être envoyée ({ $error }). Travail arrêté, laser éteint.
notice-job-alarm = Alarme { $code } pendant le travail (dernière ligne acquittée : { $line }). Laser éteint.
notice-job-stopped = Travail arrêté, laser éteint. Dernière ligne acquittée : { $line }.
notice-job-controller-reset = Le contrôleur a redémarré pendant le travail (dernière ligne acquittée : { $line }).
notice-job-not-started = Le travail n'a pas pu démarrer : { $error }

## Material presets
menu-presets = Préréglages
menu-presets-manage = Préréglages matériaux…
preset = Préréglage
preset-custom = (réglages propres)
preset-all-modes = Tous les modes
preset-none-for-mode = Aucun préréglage pour ce mode pour l'instant.
preset-no-material = Sans matériau
preset-summary = { $mode } à { $speed } mm/min, { $power } %, { $passes ->
        [one] 1 passe
       *[other] { $passes } passes
    }
preset-save-layer = Enregistrer le calque comme préréglage…
preset-save-title = Enregistrer le calque comme préréglage
preset-save-layer-of = Les réglages du calque { $layer } :
preset-value = { $name } : { $value }
preset-name = Nom
preset-material = Matériau
preset-thickness = Épaisseur (mm)
preset-machine = Pour la machine
preset-notes = Remarques
preset-speed = Vitesse (mm/min)
preset-power-max = Puissance max (%)
preset-power-min = Puissance min (%)
preset-thickness-invalid = L'épaisseur doit être un nombre de millimètres supérieur à 0, ou rester vide.
preset-will-replace = Un préréglage porte déjà ce nom : l'enregistrer le remplace.
preset-save = Enregistrer le préréglage
preset-save-changes = Enregistrer les modifications
preset-revert = Annuler les modifications
preset-cancel = Annuler
preset-delete = Supprimer…
preset-delete-confirm = Supprimer le préréglage « { $name } » ? C'est définitif.
preset-delete-yes = Supprimer
presets-title = Préréglages matériaux
presets-search = Rechercher
presets-search-hint = Matériau, épaisseur, nom : contreplaqué 3 mm
presets-count = { $shown } préréglages sur { $total }
presets-pick-one = Choisissez un préréglage dans la liste pour voir et modifier ses valeurs.
presets-file = Bibliothèque : { $path }
presets-in-memory = Bibliothèque gardée en mémoire seulement (non enregistrée).
presets-load-error-backup = La bibliothèque de préréglages est illisible : { $error }. Sa copie de sauvegarde est utilisée à la place.
presets-load-error-builtin = La bibliothèque de préréglages est illisible : { $error }. Les préréglages intégrés sont utilisés à la place.
presets-copy-kept = Le fichier illisible est conservé sous { $copy }.
notice-presets-warning = Bibliothèque de préréglages : { $warning }
notice-presets-copy-kept = La bibliothèque de préréglages illisible est conservée sous { $copy }.
notice-presets-unreadable-backup = La bibliothèque de préréglages est illisible : { $error }. Sa copie de sauvegarde est utilisée ; le fichier n'a pas été modifié.
notice-presets-unreadable-builtin = La bibliothèque de préréglages est illisible : { $error }. Les préréglages intégrés sont utilisés ; le fichier n'a pas été modifié.
notice-presets-not-saved = La bibliothèque de préréglages n'a pas pu être enregistrée ({ $error }) ; la modification est gardée jusqu'à la fermeture de Burin.
notice-preset-not-found = Aucun préréglage nommé « { $name } ».
notice-preset-wrong-mode = Le préréglage « { $name } » ne convient pas au calque { $layer } : les images prennent des préréglages d'image, les formes des préréglages de découpe ou de remplissage.
notice-preset-applied = Préréglage « { $name } » appliqué au calque { $layer }.
notice-preset-saved = Préréglage « { $name } » enregistré.
notice-preset-replaced = Préréglage « { $name } » remplacé.
notice-preset-updated = Préréglage « { $name } » modifié.
notice-preset-deleted = Préréglage « { $name } » supprimé.
notice-preset-invalid = Préréglage refusé : { $error }
presets-problem = Bibliothèque de préréglages illisible : voir pourquoi
