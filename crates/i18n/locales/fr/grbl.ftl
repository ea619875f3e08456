# Textes de GRBL 1.1 : codes d'erreur et d'alarme, réglages, états de la machine.
# Traduction de locales/en/grbl.ftl ; les deux fichiers ont les mêmes clés (vérifié par les tests).
# « Homing » se traduit par « prise d'origine », « limit switch » par « fin de course ».

## error:N — ce que signifie le code.

grbl-error-1 = Un mot G-code se compose d'une lettre et d'une valeur. La lettre est absente.
grbl-error-2 = La valeur attendue d'un mot G-code est absente, ou le format du nombre est invalide.
grbl-error-3 = Commande système « $ » de Grbl non reconnue ou non prise en charge.
grbl-error-4 = Valeur négative reçue alors qu'une valeur positive était attendue.
grbl-error-5 = Échec de la prise d'origine. La prise d'origine n'est pas activée dans les réglages.
grbl-error-6 = La durée minimale d'impulsion de pas doit être supérieure à 3 µs.
grbl-error-7 = Échec de lecture de l'EEPROM. Les valeurs concernées sont remises automatiquement à leurs valeurs par défaut.
grbl-error-8 = Les commandes « $ » de Grbl ne sont utilisables que lorsque Grbl est au repos (Idle). Cela évite de perturber un travail en cours.
grbl-error-9 = Les commandes G-code sont bloquées en état d'alarme ou pendant un déplacement manuel (jog).
grbl-error-10 = Les limites logicielles ne peuvent pas être activées sans activer aussi la prise d'origine.
grbl-error-11 = Nombre maximal de caractères par ligne dépassé. La ligne reçue n'a pas été exécutée.
grbl-error-12 = Cette valeur de réglage « $ » ferait dépasser la fréquence de pas maximale prise en charge.
grbl-error-13 = La porte de sécurité est ouverte. Grbl est passé en état Porte.
grbl-error-14 = Les infos de compilation ou la ligne de démarrage dépassent la longueur maximale en EEPROM. Ligne non enregistrée.
grbl-error-15 = La cible du déplacement manuel dépasse la course de la machine. Commande ignorée.
grbl-error-16 = La commande de déplacement manuel n'a pas de « = » ou contient du G-code interdit.
grbl-error-17 = Le mode laser nécessite une sortie PWM.
grbl-error-20 = Commande G-code non prise en charge ou invalide dans le bloc.
grbl-error-21 = Plusieurs commandes G-code du même groupe modal dans le bloc.
grbl-error-22 = La vitesse d'avance n'a pas encore été définie.
grbl-error-23 = Une commande G-code du bloc exige une valeur entière.
grbl-error-24 = Plusieurs commandes G-code nécessitant des mots d'axe dans le bloc.
grbl-error-25 = Mot G-code répété dans le bloc.
grbl-error-26 = Aucun mot d'axe dans le bloc, alors que la commande G-code ou l'état modal actuel en exige.
grbl-error-27 = Le numéro de ligne est invalide.
grbl-error-28 = Il manque une valeur obligatoire à la commande G-code.
grbl-error-29 = Les systèmes de coordonnées de travail G59.x ne sont pas pris en charge.
grbl-error-30 = G53 n'est autorisé qu'avec les modes de déplacement G0 et G1.
grbl-error-31 = Mots d'axe présents dans le bloc alors qu'aucune commande ni l'état modal actuel ne les utilise.
grbl-error-32 = Les arcs G2 et G3 exigent au moins un mot d'axe dans le plan de travail.
grbl-error-33 = La cible de la commande de déplacement est invalide.
grbl-error-34 = Le rayon de l'arc est invalide.
grbl-error-35 = Les arcs G2 et G3 exigent au moins un mot de décalage dans le plan de travail.
grbl-error-36 = Mots de valeur inutilisés dans le bloc.
grbl-error-37 = La compensation dynamique de longueur d'outil G43.1 n'est pas affectée à l'axe de longueur d'outil configuré.
grbl-error-38 = Numéro d'outil supérieur à la valeur maximale prise en charge.

# Un code que GRBL 1.1 ne définit pas (des variantes comme grblHAL ajoutent les leurs).
grbl-error-unknown = Erreur inconnue (code { $code }).

## ALARM:N — ce que signifie l'alarme.

grbl-alarm-1 = Un fin de course matériel s'est déclenché. La position de la machine est probablement perdue à cause de l'arrêt brutal. Une nouvelle prise d'origine est fortement recommandée.
grbl-alarm-2 = Limite logicielle. La cible du déplacement G-code dépasse la course de la machine. La position de la machine est conservée. L'alarme peut être levée sans risque.
grbl-alarm-3 = Réinitialisation pendant un déplacement. La position de la machine est probablement perdue à cause de l'arrêt brutal. Une nouvelle prise d'origine est fortement recommandée.
grbl-alarm-4 = Échec du palpage. La sonde n'est pas dans l'état attendu au début du cycle de palpage (elle doit être relâchée pour G38.2 et G38.3, et enfoncée pour G38.4 et G38.5).
grbl-alarm-5 = Échec du palpage. La sonde n'a pas touché la pièce dans la course programmée pour G38.2 et G38.4.
grbl-alarm-6 = Échec de la prise d'origine. Le cycle en cours a été réinitialisé.
grbl-alarm-7 = Échec de la prise d'origine. La porte de sécurité a été ouverte pendant le cycle.
grbl-alarm-8 = Échec de la prise d'origine. Le dégagement n'a pas suffi à libérer le fin de course. Augmentez la distance de dégagement ou vérifiez le câblage.
grbl-alarm-9 = Échec de la prise d'origine. Fin de course introuvable dans la distance de recherche. Augmentez la course maximale, réduisez la distance de dégagement ou vérifiez le câblage.
grbl-alarm-10 = Échec de la prise d'origine. Le second fin de course de l'axe double ne s'est pas déclenché dans la distance configurée après le premier. Augmentez la distance de déclenchement ou vérifiez le câblage.
grbl-alarm-unknown = Alarme inconnue (code { $code }).

## Réglages $N : nom court, unité, rôle.

grbl-setting-0-name = Durée d'impulsion de pas
grbl-setting-0-unit = microsecondes
grbl-setting-0-desc = Durée de chaque impulsion de pas. Minimum 3 µs.

grbl-setting-1-name = Délai de maintien des moteurs
grbl-setting-1-unit = millisecondes
grbl-setting-1-desc = Court délai de maintien à l'arrêt, pour laisser la machine se stabiliser avant de couper les moteurs pas à pas. La valeur 255 garde les moteurs alimentés en permanence.

grbl-setting-2-name = Inversion des impulsions de pas
grbl-setting-2-unit = masque
grbl-setting-2-desc = Inverse le signal de pas. Mettre à 1 le bit de chaque axe à inverser (00000ZYX).

grbl-setting-3-name = Inversion de la direction
grbl-setting-3-unit = masque
grbl-setting-3-desc = Inverse le signal de direction. Mettre à 1 le bit de chaque axe à inverser (00000ZYX).

grbl-setting-4-name = Inversion du signal d'activation des moteurs
grbl-setting-4-unit = booléen
grbl-setting-4-desc = Inverse le signal d'activation (enable) des pilotes de moteurs pas à pas.

grbl-setting-5-name = Inversion des fins de course
grbl-setting-5-unit = booléen
grbl-setting-5-desc = Inverse toutes les entrées de fin de course.

grbl-setting-6-name = Inversion de l'entrée de sonde
grbl-setting-6-unit = booléen
grbl-setting-6-desc = Inverse le signal de l'entrée de sonde.

grbl-setting-10-name = Options du rapport d'état
grbl-setting-10-unit = masque
grbl-setting-10-desc = Choisit les données incluses dans les rapports d'état.

grbl-setting-11-name = Déviation de jonction
grbl-setting-11-unit = millimètres
grbl-setting-11-desc = Règle la vitesse de passage d'un mouvement au suivant. Une valeur plus faible ralentit la machine.

grbl-setting-12-name = Tolérance des arcs
grbl-setting-12-unit = millimètres
grbl-setting-12-desc = Précision du tracé des arcs G2 et G3, en écart radial. Attention, une valeur très faible peut nuire aux performances.

grbl-setting-13-name = Rapports en pouces
grbl-setting-13-unit = booléen
grbl-setting-13-desc = Exprime en pouces les positions et vitesses renvoyées (sauf les valeurs des réglages).

grbl-setting-20-name = Limites logicielles
grbl-setting-20-unit = booléen
grbl-setting-20-desc = Active le contrôle des limites logicielles dans la course de la machine, avec une alarme en cas de dépassement. Nécessite la prise d'origine.

grbl-setting-21-name = Limites matérielles
grbl-setting-21-unit = booléen
grbl-setting-21-desc = Active les limites matérielles. Le mouvement s'arrête immédiatement et une alarme se déclenche quand un fin de course est actionné.

grbl-setting-22-name = Cycle de prise d'origine
grbl-setting-22-unit = booléen
grbl-setting-22-desc = Active le cycle de prise d'origine. Nécessite des fins de course sur tous les axes.

grbl-setting-23-name = Inversion du sens de prise d'origine
grbl-setting-23-unit = masque
grbl-setting-23-desc = La prise d'origine cherche le fin de course dans le sens positif. Mettre à 1 le bit d'un axe (00000ZYX) pour le chercher dans le sens négatif.

grbl-setting-24-name = Vitesse de localisation de l'origine
grbl-setting-24-unit = mm/min
grbl-setting-24-desc = Vitesse lente d'approche du fin de course, pour en déterminer précisément la position.

grbl-setting-25-name = Vitesse de recherche de l'origine
grbl-setting-25-unit = mm/min
grbl-setting-25-desc = Vitesse rapide de recherche du fin de course, avant la phase de localisation plus lente.

grbl-setting-26-name = Délai anti-rebond des fins de course
grbl-setting-26-unit = millisecondes
grbl-setting-26-desc = Court délai entre les phases de la prise d'origine, pour laisser le contact du fin de course se stabiliser.

grbl-setting-27-name = Distance de dégagement des fins de course
grbl-setting-27-unit = millimètres
grbl-setting-27-desc = Distance de recul après le déclenchement du fin de course, pour le libérer. La prise d'origine échoue s'il reste actionné.

grbl-setting-30-name = Vitesse de broche maximale
grbl-setting-30-unit = tr/min
grbl-setting-30-desc = Vitesse de broche maximale (puissance maximale en mode laser). Correspond à un rapport cyclique PWM de 100 %.

grbl-setting-31-name = Vitesse de broche minimale
grbl-setting-31-unit = tr/min
grbl-setting-31-desc = Vitesse de broche minimale. Correspond à un rapport cyclique PWM de 0,4 % ou au plus faible possible.

grbl-setting-32-name = Mode laser
grbl-setting-32-unit = booléen
grbl-setting-32-desc = Active le mode laser. Les commandes G1, G2 et G3 qui se suivent ne s'arrêtent pas quand la vitesse de broche (la puissance) change.

grbl-setting-100-name = Résolution de l'axe X
grbl-setting-100-unit = pas/mm
grbl-setting-100-desc = Résolution de déplacement de l'axe X, en pas par millimètre.

grbl-setting-101-name = Résolution de l'axe Y
grbl-setting-101-unit = pas/mm
grbl-setting-101-desc = Résolution de déplacement de l'axe Y, en pas par millimètre.

grbl-setting-102-name = Résolution de l'axe Z
grbl-setting-102-unit = pas/mm
grbl-setting-102-desc = Résolution de déplacement de l'axe Z, en pas par millimètre.

grbl-setting-110-name = Vitesse maximale de l'axe X
grbl-setting-110-unit = mm/min
grbl-setting-110-desc = Vitesse maximale de l'axe X. Sert aussi de vitesse des déplacements rapides G0.

grbl-setting-111-name = Vitesse maximale de l'axe Y
grbl-setting-111-unit = mm/min
grbl-setting-111-desc = Vitesse maximale de l'axe Y. Sert aussi de vitesse des déplacements rapides G0.

grbl-setting-112-name = Vitesse maximale de l'axe Z
grbl-setting-112-unit = mm/min
grbl-setting-112-desc = Vitesse maximale de l'axe Z. Sert aussi de vitesse des déplacements rapides G0.

grbl-setting-120-name = Accélération de l'axe X
grbl-setting-120-unit = mm/s²
grbl-setting-120-desc = Accélération de l'axe X. Le planificateur s'en sert pour ne pas dépasser le couple des moteurs et perdre des pas.

grbl-setting-121-name = Accélération de l'axe Y
grbl-setting-121-unit = mm/s²
grbl-setting-121-desc = Accélération de l'axe Y. Le planificateur s'en sert pour ne pas dépasser le couple des moteurs et perdre des pas.

grbl-setting-122-name = Accélération de l'axe Z
grbl-setting-122-unit = mm/s²
grbl-setting-122-desc = Accélération de l'axe Z. Le planificateur s'en sert pour ne pas dépasser le couple des moteurs et perdre des pas.

grbl-setting-130-name = Course maximale de l'axe X
grbl-setting-130-unit = millimètres
grbl-setting-130-desc = Course maximale de l'axe X depuis le fin de course d'origine. Définit l'espace de travail valide pour les limites logicielles et les distances de recherche de l'origine.

grbl-setting-131-name = Course maximale de l'axe Y
grbl-setting-131-unit = millimètres
grbl-setting-131-desc = Course maximale de l'axe Y depuis le fin de course d'origine. Définit l'espace de travail valide pour les limites logicielles et les distances de recherche de l'origine.

grbl-setting-132-name = Course maximale de l'axe Z
grbl-setting-132-unit = millimètres
grbl-setting-132-desc = Course maximale de l'axe Z depuis le fin de course d'origine. Définit l'espace de travail valide pour les limites logicielles et les distances de recherche de l'origine.

## États de la machine, tels que les affiche le badge d'état.

grbl-state-idle = Repos
grbl-state-run = En marche
grbl-state-hold = Pause
grbl-state-jog = Jog
grbl-state-alarm = Alarme
grbl-state-door = Porte
grbl-state-check = Vérification
grbl-state-home = Origine
grbl-state-sleep = Veille
grbl-state-unknown = Inconnu
