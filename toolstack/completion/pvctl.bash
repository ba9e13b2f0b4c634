# SPDX-License-Identifier: MIT
# pvctl.bash: bash completion for pvctl: its verbs, their options, domain
# XML files and the daemon's domain names.

_pvctl_domains()
{
    local socket=()
    [ -n "$1" ] && socket=(--socket "$1")
    pvctl "${socket[@]}" list 2>/dev/null | awk 'NR > 1 { print $1 }'
}

_pvctl()
{
    local cur prev verb socket i
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    verb=
    socket=
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        --socket | -s) socket=${COMP_WORDS[i + 1]}; ((i++)) ;;
        -*) ;;
        *) verb=${COMP_WORDS[i]}; break ;;
        esac
    done
    if [ "$prev" = --socket ] || [ "$prev" = -s ]; then
        COMPREPLY=($(compgen -f -- "$cur"))
        return
    fi
    if [ -z "$verb" ]; then
        COMPREPLY=($(compgen -W "help run create list destroy shutdown reboot
            pause unpause console info dmesg domid domname uptime stat
            --socket --help --version" -- "$cur"))
        return
    fi
    case $verb in
    run)
        COMPREPLY=($(compgen -W "--quiet --stats --max-restarts --exec
            --grace --xenstore-socket --help" -- "$cur") $(compgen -f -X '!*.xml' -- "$cur") $(compgen -d -- "$cur")) ;;
    create)
        COMPREPLY=($(compgen -W "--console --paused --exec --help" -- "$cur") $(compgen -f -X '!*.xml' -- "$cur") $(compgen -d -- "$cur")) ;;
    list)
        COMPREPLY=($(compgen -W "--long --json --help $(_pvctl_domains "$socket")" -- "$cur")) ;;
    shutdown | reboot)
        COMPREPLY=($(compgen -W "--wait --timeout --help $(_pvctl_domains "$socket")" -- "$cur")) ;;
    stat)
        COMPREPLY=($(compgen -W "--delay --iterations --batch --help" -- "$cur")) ;;
    help)
        COMPREPLY=($(compgen -W "run create list destroy shutdown reboot pause
            unpause console info dmesg domid domname uptime stat" -- "$cur")) ;;
    info) ;;
    *)
        COMPREPLY=($(compgen -W "--help $(_pvctl_domains "$socket")" -- "$cur")) ;;
    esac
}
complete -F _pvctl pvctl
